package sqlstore

import (
	"sync"

	"github.com/coursekit/coursekit/lrs/progress"
)

// foldedCacheMax bounds the learners (in a course) whose progress the
// cache holds: about 2.5 KB each with a registration and eleven lessons
// viewed, so 25 MB at most.
const foldedCacheMax = 10000

// foldedCache holds the progress of the learners this node's worker wrote
// in its last batches, so that the next batch reads their progress from
// memory instead of the database: the worker reads the progress of every
// learner in a batch, and on SQLite it does so on the one writer
// connection, while ingest waits. Every write of progress counts up the
// cursor's version (migration 0013); the cache holds only while the version
// is the one its last write left, which is to say while no other node has
// applied a batch, nor anyone reset progress, since.
type foldedCache struct {
	mu      sync.Mutex
	version int64 // the cursor's version after the last write; 0: none
	byKey   map[progress.Key]progress.Folded
}

// get returns the cached progress of keys, when the cache holds what is
// stored at version, and the keys it does not hold.
func (c *foldedCache) get(version int64, keys []progress.Key) (map[progress.Key]progress.Folded, []progress.Key) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[progress.Key]progress.Folded, len(keys))
	if c.version == 0 || c.version != version {
		return out, keys
	}
	var missing []progress.Key
	for _, k := range keys {
		if fd, ok := c.byKey[k]; ok {
			out[k] = fd
		} else {
			missing = append(missing, k)
		}
	}
	return out, missing
}

// wrote records what a committed batch wrote: from is the version the
// batch started from, to the one it left. A nil entry is progress deleted.
func (c *foldedCache) wrote(from, to int64, written map[progress.Key]*progress.Folded) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != from || c.byKey == nil {
		c.byKey = map[progress.Key]progress.Folded{}
	}
	c.version = to
	for k, fd := range written {
		if fd == nil {
			delete(c.byKey, k)
		} else {
			c.byKey[k] = *fd
		}
	}
	// Map iteration order is random: this evicts learners at random.
	for k := range c.byKey {
		if len(c.byKey) <= foldedCacheMax {
			break
		}
		delete(c.byKey, k)
	}
}

// drop empties the cache: after a failed batch, or a reset.
func (c *foldedCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version, c.byKey = 0, nil
}

// foldedOf returns the progress.Folded of each learner in learners, with
// their registrations from regs (both as Fold and Extend return them).
func foldedOf(learners, regs []progress.Progress) map[progress.Key]*progress.Folded {
	out := make(map[progress.Key]*progress.Folded, len(learners))
	for _, l := range learners {
		out[progress.Key{Course: l.Course, Learner: l.Learner}] = &progress.Folded{Learner: l, Complete: true}
	}
	for _, r := range regs {
		if fd := out[progress.Key{Course: r.Course, Learner: r.Learner}]; fd != nil {
			fd.Registrations = append(fd.Registrations, r)
		}
	}
	return out
}
