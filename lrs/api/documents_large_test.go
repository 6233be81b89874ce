package api_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/storetest"
)

// TestLargeDocumentBufferedOnce PUTs a 1 MiB document and checks that
// handling it allocates about one copy of it: the body is read once into a
// buffer of its Content-Length and hashed as it arrives, never copied into
// a growing buffer or read again. GET returns the same bytes, holding only
// the copy the driver reads. SQLite's driver copies the bytes it binds
// into memory of its own, outside the Go heap; on PostgreSQL lib/pq builds
// each message whole, so a PUT also holds the message, and a GET the
// message and database/sql's copy of the value: two copies.
func TestLargeDocumentBufferedOnce(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { largeDocumentBufferedOnce(t, newTestLRS, 1.5) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		on := func(t testing.TB, cfg api.Config) *testLRS { return newTestLRSOn(t, cfg, dsn) }
		largeDocumentBufferedOnce(t, on, 2.5)
	})
}

// largeDocumentBufferedOnce checks that a 1 MiB PUT and GET each allocate
// under copies times the document's size.
func largeDocumentBufferedOnce(t *testing.T, newLRS func(testing.TB, api.Config) *testLRS, copies float64) {
	const size = 1 << 20
	l := newLRS(t, api.Config{MaxDocumentBytes: 2 * size})
	limit := uint64(copies * size)
	content := make([]byte, size)
	for i := range content {
		content[i] = byte(i*7 + i>>8)
	}
	put := func() *httptest.ResponseRecorder {
		req := newRequest(request{method: "PUT", target: state("large"), cred: l.Admin, headers: h("Content-Type", "application/octet-stream")})
		req.Body, req.ContentLength = nopCloser{bytes.NewReader(content)}, size
		rec := httptest.NewRecorder()
		l.Handler.ServeHTTP(rec, req)
		return rec
	}
	if rec := put(); rec.Code != 204 { // warm up: credential check, prepared statements
		t.Fatalf("PUT = %d %s", rec.Code, rec.Body)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rec := put()
	runtime.ReadMemStats(&after)
	if rec.Code != 204 {
		t.Fatalf("PUT = %d %s", rec.Code, rec.Body)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("PUT of %d bytes allocated %d bytes", size, alloc)
	if alloc > limit {
		t.Errorf("PUT of a %d-byte document allocated %d bytes, want under %g copies", size, alloc, copies)
	}
	get := l.do(t, request{method: "GET", target: state("large"), cred: l.Admin})
	if get.Code != 200 || !bytes.Equal(get.Body.Bytes(), content) || get.Header().Get("ETag") != etag(string(content)) {
		t.Errorf("GET = %d, %d bytes, ETag %s; want the %d bytes sent", get.Code, get.Body.Len(), get.Header().Get("ETag"), size)
	}
	// Reading it back holds the one copy the driver reads it into.
	w := &discard{header: http.Header{}}
	runtime.GC()
	runtime.ReadMemStats(&before)
	l.Handler.ServeHTTP(w, newRequest(request{method: "GET", target: state("large"), cred: l.Admin}))
	runtime.ReadMemStats(&after)
	alloc = after.TotalAlloc - before.TotalAlloc
	t.Logf("GET of %d bytes allocated %d bytes", size, alloc)
	if w.n != size || alloc > limit {
		t.Errorf("GET wrote %d bytes and allocated %d, want %d bytes written and under %g copies", w.n, alloc, size, copies)
	}
}

// discard is a ResponseWriter that only counts the body, so that it
// allocates nothing for it.
type discard struct {
	header http.Header
	n      int
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }
