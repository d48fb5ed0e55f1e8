from microreach.web.file_names import attachment_header


def test_an_ascii_name_is_quoted_as_before():
    assert attachment_header("shipping-12.csv") == 'attachment; filename="shipping-12.csv"'


def test_a_name_with_quotes_or_controls_cannot_break_the_header():
    # given a name with a folder, a quote, a newline and a right-to-left override
    header = attachment_header('../a"b\r\nSet-Cookie: x\u202e.csv')
    # then the header is one line, the folder and the controls gone, the quote escaped
    assert header == 'attachment; filename="a\\"bSet-Cookie: x.csv"'


def test_a_non_ascii_name_is_sent_as_utf8():
    assert attachment_header("rapport-été.pdf") == "attachment; filename*=utf-8''rapport-%C3%A9t%C3%A9.pdf"
