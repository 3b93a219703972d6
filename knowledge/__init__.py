"""Documents in, cited answers out: parsing, indexing, retrieval and grounded answers."""
