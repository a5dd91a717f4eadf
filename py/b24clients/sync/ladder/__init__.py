"""The status ladder's I/O (spec/status-ladder.md; docs/ladder.md): install, the shared
lock, the ledger in `entity` storage, the daily portal and manager passes, alarms,
digests and the starting point.  The ladder's rules themselves are the pure
`b24clients.ladder` package; this one reads, writes and stores around it."""
