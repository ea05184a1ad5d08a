"""The `casewise` command line: a thin front end over the ingest and retriever pipelines."""
