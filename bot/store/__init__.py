"""What briefbot keeps under BOT_DATA_DIR: cached answers, the SQLite index and its tables."""
