package sqlstore

import (
	"context"
	"time"
)

// checkpointEvery is how often the SQLite checkpointer copies the WAL into
// the database file.
const checkpointEvery = time.Second

// startCheckpoints copies SQLite's WAL into the database file from a
// connection of its own, every checkpointEvery, so that the writer never
// does it. A checkpoint that SQLite runs itself (wal_autocheckpoint) runs in
// the connection that committed, while every other write waits: on a
// database of a million statements that was a 50 ms stall every few
// seconds, and single POSTs had a p99 of 50 ms instead of 10. PASSIVE
// checkpoints do not block the writer or readers; the writer keeps a large
// wal_autocheckpoint as a backstop should these fall behind.
func (s *Store) startCheckpoints() {
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if _, err := s.checkpointer.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil && ctx.Err() == nil {
				s.logger.Warn("sqlite checkpoint", "err", err)
			}
		}
	}()
	s.stopCheckpoints = func() { stop(); <-done }
}
