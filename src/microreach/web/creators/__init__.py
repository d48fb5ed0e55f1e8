"""Creators, social accounts, posts, comments, follower samples, histories and audience breakdowns."""
