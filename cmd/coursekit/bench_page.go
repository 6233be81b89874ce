package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
)

// page follows the more links of broad queries depth pages deep, again and
// again, and records each page's latency by its depth: keyset cursors should
// make the hundredth page cost what the first does.
func (b *bencher) page(ctx context.Context, worker, depth int, remaining *atomic.Int64) error {
	gen := newStatementGen(uint64(worker) + 1)
	for ctx.Err() == nil {
		next := "statements?" + gen.pagedQuery()
		for d := 1; d <= depth && next != "" && ctx.Err() == nil; d++ {
			if remaining.Add(-1) < 0 {
				return nil
			}
			body, err := b.request(ctx, http.MethodGet, next, depthBucket(d), nil)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			b.mu.Lock()
			b.items++
			b.mu.Unlock()
			var result struct{ More string }
			if err := json.Unmarshal(body, &result); err != nil && body != nil {
				return fmt.Errorf("page %d: %w", d, err)
			}
			next = result.More
		}
	}
	return nil
}

// depthBucket names a page depth's group in the report.
func depthBucket(d int) string {
	switch {
	case d == 1:
		return "page 1"
	case d <= 10:
		return "pages 2-10"
	case d <= 100:
		return "pages 11-100"
	default:
		return "pages 101+"
	}
}
