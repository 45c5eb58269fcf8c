"""Every database read and write, one module per subject. Functions take the caller's session
keyword-only and flush, never commit: the caller owns the transaction (`with session.begin()`),
so a change and its audit row are written together or not at all."""
