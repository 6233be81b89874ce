package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logBuffer batches serve's log lines into one write every flushEvery (or
// each 64 KiB). Under load the LRS logs every request, and one write system
// call per line was 9% of the server's CPU in the state round-trip
// benchmark. A crash loses at most flushEvery of log lines; Close writes
// what is left.
type logBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

const flushEvery = 100 * time.Millisecond

func newLogBuffer(w io.Writer) *logBuffer {
	b := &logBuffer{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(flushEvery)
		defer t.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-t.C:
				b.Flush()
			}
		}
	}()
	return b
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

// Flush writes the buffered lines.
func (b *logBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Flush()
}

// Close stops the flushing and writes what is left.
func (b *logBuffer) Close() error {
	close(b.stop)
	<-b.done
	return b.Flush()
}
