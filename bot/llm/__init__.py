"""The language model: its port, the OpenAI-compatible client, its responses, the prompts."""
