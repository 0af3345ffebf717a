"""What turns a link or a document into an Article: safe fetching, extraction, documents."""
