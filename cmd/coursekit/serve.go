package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/cmi5"
	"github.com/coursekit/coursekit/lrs/progress"
)

type serveCmd struct{ stdout, stderr io.Writer }

const serveUsage = `
Usage: coursekit serve [--addr 127.0.0.1:8080] [--db DSN] [flags]

Runs the xAPI Learning Record Store at http://ADDR/xapi/, with /healthz,
/readyz and Prometheus /metrics. The schema is brought up to date first. On
a database with no credential of scope all (a new one, or one only
coursekit seed has written to) it creates an admin credential and prints it
once. It also launches cmi5 AUs for a learner: POST /cmi5/launch with an
admin credential (see docs/packages.md). It keeps learners' progress for
reports up to date as statements arrive (--progress=false: leave that to
other nodes sharing the database); --courses DIR registers the course
folders under DIR (see docs/reports.md). Stops gracefully on SIGINT or
SIGTERM.

The dashboard for training managers is at http://ADDR/ (docs/dashboard.md):
log in with a credential that may read statements. Its sessions are signed
with the key in --session-key-file or COURSEKIT_SESSION_KEY (at least 32
bytes; every node behind one address needs the same), else with a random
key per process.
`

func (c *serveCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("serve", serveUsage, c.stdout)
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on")
	db := dbFlag(fs)
	origins := fs.String("cors-origins", "", "comma-separated `origins` browsers may call the xAPI from; * for any")
	maxBody := fs.Int64("max-body", api.DefaultMaxBodyBytes, "largest request body in `bytes`")
	anonRead := fs.Bool("allow-anonymous-read", false, "let requests without credentials read statements (writes always need one)")
	maxDocument := fs.Int64("max-document", api.DefaultMaxDocumentBytes, "largest State, Activity Profile or Agent Profile document in `bytes`")
	defineAny := fs.Bool("define-any", false, "learn activity definitions and agent names from every credential's statements, not only from credentials with the define scope")
	logFormat := fs.String("log-format", "text", "log `format`: text or json")
	pprofAddr := fs.String("pprof", "", "serve Go's profiler on this loopback `host:port` (for measuring; off by default)")
	publicURL := fs.String("public-url", "", "the server's `URL` as browsers reach it, for the URLs cmi5 launches hand out (default: the request's scheme and Host)")
	fetchTTL := fs.Duration("cmi5-fetch-ttl", cmi5.DefaultFetchTTL, "how long a cmi5 launch's one-time fetch URL can be used")
	sessionTTL := fs.Duration("cmi5-session-ttl", cmi5.DefaultSessionTTL, "how long a cmi5 session's token lasts at most")
	coursesDir := fs.String("courses", "", "register the course folders under `DIR` (or DIR itself) for reports at start")
	keepProgress := fs.Bool("progress", true, "run the progress worker that keeps learners' progress for reports (false: a node that only ingests, when several nodes share PostgreSQL)")
	grace := fs.Duration("cmi5-grace", cmi5.DefaultGrace, "how long a cmi5 session's token outlives its terminated statement")
	noDashboard := fs.Bool("no-dashboard", false, "do not serve the dashboard at /")
	sessionKeyFile := fs.String("session-key-file", "", "`file` holding the key that signs dashboard sessions (default COURSEKIT_SESSION_KEY, else random)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("serve takes no arguments")
	}
	if *publicURL != "" && !isHTTPURL(*publicURL) {
		return usagef("--public-url %s is not an http(s) URL", *publicURL)
	}
	if *pprofAddr != "" && !isLoopback(*pprofAddr) {
		return usagef("--pprof %s is not a loopback address; the profiler is never exposed", *pprofAddr)
	}
	logs := newLogBuffer(c.stderr)
	defer logs.Close()
	logger := newLogger(logs, *logFormat)
	store, err := openStore(ctx, *db, logger)
	if err != nil {
		return err
	}
	defer store.Close()

	creds := lrs.NewCredentials(store, time.Now)
	if err := c.firstCredential(ctx, store, creds, logs); err != nil {
		return err
	}
	if *coursesDir != "" {
		ids, err := registerCourses(ctx, store, *coursesDir)
		if err != nil {
			return err
		}
		logger.Info("registered courses", "courses", ids)
	}
	// Progress for reports follows the statements (lrs/progress), unless
	// other nodes sharing the database keep it. The worker catches up in
	// the background: folding a large database for a newly registered
	// course takes minutes, and the LRS must answer (and /healthz report
	// it alive) meanwhile.
	if *keepProgress {
		worker := progress.NewWorker(store.Progress(), logger)
		workerCtx, stopWorker := context.WithCancel(ctx)
		workerDone := make(chan struct{})
		go func() { defer close(workerDone); worker.Run(workerCtx, time.Second) }()
		defer func() { stopWorker(); <-workerDone }()
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	cfg := api.Config{MaxBodyBytes: *maxBody, AllowAnonymousRead: *anonRead}
	cfg.Documents, cfg.MaxDocumentBytes, cfg.DefineAny = lrs.NewDocuments(store, store, time.Now), *maxDocument, *defineAny
	if *origins != "" {
		cfg.AllowedOrigins = strings.Split(*origins, ",")
	}
	svc := lrs.NewService(store, logger, time.Now)
	cfg.Launcher = cmi5.NewLauncher(store, creds, cfg.Documents, svc,
		cmi5.Config{FetchTTL: *fetchTTL, SessionTTL: *sessionTTL, Grace: *grace}, time.Now)
	cfg.PublicURL = *publicURL
	cfg.Reports = store.Progress()
	if !*noDashboard {
		if cfg.Dashboard, err = newDashboard(store, svc, creds, logger, *sessionKeyFile); err != nil {
			return err
		}
	}
	srv := &http.Server{
		Handler: api.New(cfg, svc, creds, store, logger, reg, time.Now),
		// Slow clients cannot hold connections: headers within 10 s, the
		// whole request within a minute.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	if *pprofAddr != "" {
		if err := servePprof(*pprofAddr, logger); err != nil {
			return fmt.Errorf("--pprof: %w", err)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger.Info("serving xAPI", "url", "http://"+ln.Addr().String()+"/xapi/")
	logs.Flush() // scripts wait for this line
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// firstCredential creates and prints an admin credential when the database
// has none, so a new LRS can be used at once; it is shown only this time.
// When several nodes start on an empty database together, the store lets
// only one create it (the bootstrap name is unique); the others print
// nothing.
func (c *serveCmd) firstCredential(ctx context.Context, store lrs.Store, creds *lrs.Credentials, logs *logBuffer) error {
	existing, err := store.Credentials(ctx)
	if err != nil {
		return err
	}
	// Credentials without the all scope (the one coursekit seed makes,
	// write-only ones made before the first serve) leave nobody able to
	// manage the LRS, so they do not count; the unique bootstrap name keeps
	// a revoked bootstrap admin from coming back.
	for _, cred := range existing {
		if slices.Contains(cred.Scopes, string(lrs.ScopeAll)) {
			return nil
		}
	}
	key, secret, err := creds.Create(ctx, "bootstrap admin", []string{string(lrs.ScopeAll)})
	if errors.Is(err, lrs.ErrConflict) {
		return nil
	}
	if err != nil {
		return err
	}
	// Through the log buffer, after the lines logged before it.
	fmt.Fprintf(logs, "Created an admin credential (scope all). It is shown only now; keep it safe:\n%s:%s\n", key, secret)
	return logs.Flush()
}

// isHTTPURL reports whether s is an absolute http(s) URL.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
