// Package lrstest runs coursekit's LRS in-process for tests, as
// net/http/httptest runs a handler: a fresh store, its credentials and
// service, the xAPI server over them and an admin credential.
//
// Only tests import it.
package lrstest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/cmi5"
	"github.com/coursekit/coursekit/lrs/sqlstore"
)

// LRS is the LRS over a store of the test's own, not on the network:
// requests go to Handler.ServeHTTP.
type LRS struct {
	Store       *sqlstore.Store
	Credentials *lrs.Credentials
	Service     *lrs.Service
	Handler     *api.Server
	// Admin is "key:secret" of a credential named "test" with scope all.
	Admin string
}

// Server is an LRS listening on a loopback port.
type Server struct {
	*LRS
	// URL is the server's base URL, without a trailing slash.
	URL string
}

// Endpoint is the server's xAPI base URL, ending in a slash.
func (s *Server) Endpoint() string { return s.URL + "/xapi/" }

type options struct {
	dsn          string
	now          func() time.Time
	cfg          api.Config
	documents    bool
	launcher     bool
	storeReports bool
}

// Option changes what New and NewServer build.
type Option func(*options)

// DSN opens the store at dsn instead of a fresh SQLite file.
func DSN(dsn string) Option { return func(o *options) { o.dsn = dsn } }

// Clock gives the credentials, service, documents, launcher and server
// the clock now instead of time.Now.
func Clock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// Config is the server's configuration, which the other options add to.
func Config(cfg api.Config) Option { return func(o *options) { o.cfg = cfg } }

// Documents serves the document resources over the store unless the
// configuration has its own.
func Documents() Option { return func(o *options) { o.documents = true } }

// Launcher serves the document resources and the cmi5 launcher over the
// store, as coursekit serve does.
func Launcher() Option { return func(o *options) { o.launcher = true } }

// StoreReports serves the reports of the store's own progress, as
// coursekit serve does.
func StoreReports() Option { return func(o *options) { o.storeReports = true } }

// New builds the LRS, closing its store when the test ends.
func New(t testing.TB, opts ...Option) *LRS {
	t.Helper()
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var store *sqlstore.Store
	if o.dsn == "" {
		store = NewStore(t)
	} else {
		store = openStore(t, o.dsn, logger)
	}
	l := &LRS{Store: store, Credentials: lrs.NewCredentials(store, o.now), Service: lrs.NewService(store, logger, o.now)}
	l.Admin = l.Credential(t, "test", "all")
	cfg := o.cfg
	if o.launcher {
		cfg.Documents = lrs.NewDocuments(store, store, o.now)
		cfg.Launcher = cmi5.NewLauncher(store, l.Credentials, cfg.Documents, l.Service, cmi5.Config{}, o.now)
	}
	if o.documents && cfg.Documents == nil {
		cfg.Documents = lrs.NewDocuments(store, store, o.now)
	}
	if o.storeReports {
		cfg.Reports = store.Progress()
	}
	l.Handler = api.New(cfg, l.Service, l.Credentials, store, logger, prometheus.NewRegistry(), o.now)
	return l
}

// NewServer builds the LRS and serves it on a loopback port until the
// test ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	l := New(t, opts...)
	srv := httptest.NewServer(l.Handler)
	t.Cleanup(srv.Close)
	return &Server{LRS: l, URL: srv.URL}
}

// NewStore opens a store on a fresh SQLite file in t.TempDir() and closes
// it when the test ends.
func NewStore(t testing.TB) *sqlstore.Store {
	t.Helper()
	return openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "lrs.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func openStore(t testing.TB, dsn string, logger *slog.Logger) *sqlstore.Store {
	t.Helper()
	store, err := sqlstore.Open(context.Background(), dsn, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// Credential creates a credential with the name and scopes and returns it
// as "key:secret".
func (l *LRS) Credential(t testing.TB, name string, scopes ...string) string {
	t.Helper()
	k, s, err := l.Credentials.Create(context.Background(), name, scopes)
	if err != nil {
		t.Fatal(err)
	}
	return k + ":" + s
}
