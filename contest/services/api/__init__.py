"""The open API's services: what /api/v1 publishes (the public catalogue's needs, results and figures) and the
personal tokens market staff create needs with."""
