// Package web is the training managers' dashboard: server-rendered pages
// over the progress reports (a progress.Reader), a statement browser over
// the LRS service and, for credentials with the all scope, a credentials
// page. Managers log in with the key and secret of a credential that may
// read statements; a credential with only statements/read/mine sees only
// the records it stored.
//
// Everything on a page may come from a statement, and statements are
// attacker-controlled: pages are html/template only, send no script at all
// and a Content-Security-Policy that would refuse one.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/style.css
var styleCSS []byte

// Config is what the dashboard is built from.
type Config struct {
	Reader      progress.Reader
	Statements  *lrs.Service
	Credentials *lrs.Credentials
	Logger      *slog.Logger
	Now         func() time.Time
	// SessionKey signs session cookies and form tokens; at least 32 bytes.
	// Every node behind one address needs the same key, or a session from
	// one is refused by the others.
	SessionKey []byte
	// SessionTTL is how long a login lasts; zero is DefaultSessionTTL.
	SessionTTL time.Duration
}

// DefaultSessionTTL is how long a login lasts unless Config says otherwise.
const DefaultSessionTTL = 8 * time.Hour

// PageSize is the rows of a learners, responses or statements page.
const PageSize = 50

// Dashboard is the dashboard's http.Handler.
type Dashboard struct {
	cfg     Config
	mux     *http.ServeMux
	pages   map[string]*template.Template
	cssPath string
	handler http.Handler
}

// csp allows this origin's stylesheet and no script of any kind (not even
// this origin's: the dashboard has none), no plugins, no framing, forms
// posting only here.
const csp = "default-src 'self'; script-src 'none'; object-src 'none'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// New parses the templates (an error fails start-up, not a request) and
// returns the dashboard.
func New(cfg Config) (*Dashboard, error) {
	if cfg.Reader == nil || cfg.Statements == nil || cfg.Credentials == nil || cfg.Logger == nil || cfg.Now == nil {
		return nil, errors.New("dashboard: Reader, Statements, Credentials, Logger and Now are required")
	}
	if len(cfg.SessionKey) < 32 {
		return nil, errors.New("dashboard: the session key needs at least 32 bytes")
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = DefaultSessionTTL
	}
	sum := sha256.Sum256(styleCSS)
	d := &Dashboard{cfg: cfg, mux: http.NewServeMux(), cssPath: "/static/style." + hex.EncodeToString(sum[:6]) + ".css"}
	if err := d.parseTemplates(); err != nil {
		return nil, err
	}
	d.routes()
	// Browsers say where a form post comes from (Sec-Fetch-Site, Origin):
	// a cross-site one is refused before the form's own token is checked.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.fail(w, r, nil, http.StatusForbidden, "This form came from another site and was refused.")
	}))
	d.handler = cop.Handler(d.mux)
	return d, nil
}

var pageNames = []string{"login", "courses", "course", "learners", "learner", "questions", "responses",
	"statements", "statement", "credentials", "error"}

func (d *Dashboard) parseTemplates() error {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return fmt.Errorf("dashboard templates: %w", err)
	}
	d.pages = map[string]*template.Template{}
	for _, name := range pageNames {
		b, err := fs.ReadFile(templateFiles, "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("dashboard templates: %w", err)
		}
		t, err := template.Must(base.Clone()).Parse(string(b))
		if err != nil {
			return fmt.Errorf("dashboard template %s: %w", name, err)
		}
		d.pages[name] = t
	}
	return nil
}

func (d *Dashboard) routes() {
	m := d.mux
	m.HandleFunc("GET "+d.cssPath, d.handleCSS)
	// Browsers ask for an icon by themselves; there is none.
	m.HandleFunc("GET /favicon.ico", http.NotFound)
	m.HandleFunc("GET /login", d.handleLoginPage)
	m.HandleFunc("POST /login", d.handleLogin)
	m.HandleFunc("POST /logout", d.authed(d.handleLogout))
	m.HandleFunc("GET /{$}", d.authed(d.handleCourses))
	m.HandleFunc("GET /course", d.authed(d.handleCourse))
	m.HandleFunc("GET /learners", d.authed(d.handleLearners))
	m.HandleFunc("GET /learners.csv", d.authed(d.handleLearnersCSV))
	m.HandleFunc("GET /learner", d.authed(d.handleLearner))
	m.HandleFunc("GET /questions", d.authed(d.handleQuestions))
	m.HandleFunc("GET /responses", d.authed(d.handleResponses))
	m.HandleFunc("GET /statements", d.authed(d.handleStatements))
	m.HandleFunc("GET /statement", d.authed(d.handleStatement))
	m.HandleFunc("GET /credentials", d.authed(d.admin(d.handleCredentials)))
	m.HandleFunc("POST /credentials", d.authed(d.admin(d.handleCreateCredential)))
	m.HandleFunc("POST /credentials/revoke", d.authed(d.admin(d.handleRevokeCredential)))
	m.HandleFunc("/", d.authed(func(w http.ResponseWriter, r *http.Request, v *viewer) {
		d.fail(w, r, v, http.StatusNotFound, "There is no such page.")
	}))
}

// ServeHTTP makes Dashboard an http.Handler. Every response carries the
// headers that keep a page from being framed, sniffed or cached.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if r.URL.Path != d.cssPath {
		h.Set("Cache-Control", "no-store")
	}
	d.handler.ServeHTTP(w, r)
}

func (d *Dashboard) handleCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	// The URL names the content's hash: a new stylesheet is a new URL.
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "style.css", time.Time{}, bytes.NewReader(styleCSS))
}

// layout is what every page's template gets.
type layout struct {
	Title string
	// Nav names the navigation entry to mark current.
	Nav    string
	Viewer *viewer
	CSS    string
	Data   any
}

// render writes a page, rendered into a buffer first so that a template
// error becomes a 500 instead of half a page.
func (d *Dashboard) render(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, v *viewer, data any) {
	var buf bytes.Buffer
	if err := d.pages[name].ExecuteTemplate(&buf, "layout", layout{Title: title, Nav: nav, Viewer: v, CSS: d.cssPath, Data: data}); err != nil {
		d.cfg.Logger.Error("render dashboard page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail renders an error page with a message for the reader.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, v *viewer, status int, msg string) {
	d.render(w, r, status, "error", http.StatusText(status), "", v, msg)
}

// failErr maps an error of a reader or the service to its page: unknown
// courses and statements are 404, anything else is logged and 500.
func (d *Dashboard) failErr(w http.ResponseWriter, r *http.Request, v *viewer, err error) {
	switch {
	case errors.Is(err, progress.ErrUnknownCourse):
		d.fail(w, r, v, http.StatusNotFound, "The LRS knows no course with this id.")
	case errors.Is(err, lrs.ErrNotFound):
		d.fail(w, r, v, http.StatusNotFound, "Not found.")
	case errors.Is(err, errBadInput):
		d.fail(w, r, v, http.StatusBadRequest, err.Error())
	default:
		d.cfg.Logger.Error("dashboard request failed", "uri", r.URL.RequestURI(), "err", err)
		d.fail(w, r, v, http.StatusInternalServerError, "Something went wrong; the server's log says what.")
	}
}
