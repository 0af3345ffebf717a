"""Pictures: the /who stance timeline and the chat's stance map, rendered with matplotlib."""
