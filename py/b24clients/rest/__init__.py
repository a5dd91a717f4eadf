"""Talking to a Bitrix24 portal: one async seam (`Gateway`) over pluggable transports.

`transport.py` the seam a transport implements (in-process simulated portal,
HTTP, BX24.js in the browser); `clock.py` real and injected time; `pacing.py`
staying under the leaky bucket and the operating budget; `gateway.py` calls,
batches, chained ID-window reads and retries.  Nothing here imports `js`.
"""
