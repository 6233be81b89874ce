package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while the log buffer writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogBuffer(t *testing.T) {
	var out syncBuffer
	b := newLogBuffer(&out)
	b.Write([]byte("one\n"))
	// The ticker writes it out without an explicit flush.
	for deadline := time.Now().Add(5 * time.Second); out.String() != "one\n"; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s the output is %q, want the line flushed", out.String())
		}
	}
	b.Write([]byte("two\n"))
	b.Write([]byte("three\n"))
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "one\ntwo\nthree\n" {
		t.Errorf("after Close the output is %q, want every line in order", got)
	}
	if strings.Count(out.String(), "two") != 1 {
		t.Error("a line was written twice")
	}
}
