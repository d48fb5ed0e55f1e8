"""The REST layer: one NinjaAPI object, one router per app, one error shape."""
