"""Writes of the campaigns context, one module per aggregate.

``campaign`` (the campaign and its states), ``application`` (applying, deciding, invitations, bars),
``message``, ``shipment`` (addresses, shipping, erasure), ``deliverable`` (drafts and published posts),
``sales`` (promo-code sales), ``worker`` (reminders and the periodic pass). Every write is atomic and
leaves an ``ActivityEvent`` (ids and event names only); e-mails leave on commit through the jobs
context's ``email_queue`` with a key per trigger. This package re-exports nothing: import from the module.
"""
