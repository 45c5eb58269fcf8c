"""End-to-end tests: the real bot process against the telegram-test-api emulator."""
