-- The warehouse, read-only, beside the reader copy being written.
attach $path as w (read_only)
