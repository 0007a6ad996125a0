"""geo: text to route. Documents -> mentions -> events -> legs -> a merged Route.

Stages are plain functions over the values in ``geo.model``; ``geo.pipeline`` strings them
together. Asks the gazetteer only through ``geo.gazetteer_port.GazetteerPort``.
"""
