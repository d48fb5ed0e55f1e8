"""A local fake of each network (YouTube, Instagram, TikTok) for the demo and the tests: the OAuth pages
and endpoints and the API endpoints the clients of ``microreach.sources.networks`` call, answering in the
documented shapes from a handful of generated accounts. Mounted at ``/_fake/<network>/`` only with
``MICROREACH_FAKE_NETWORKS=1``. See docs/connectors.md, "Local fakes"."""
