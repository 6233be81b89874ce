package web_test

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/lrstest"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/lrs/sqlstore"
	"github.com/coursekit/coursekit/lrs/web"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// harness is a dashboard over a real SQLite store (statements and
// credentials) and a fake progress reader, with a clock the test moves.
type harness struct {
	d      *web.Dashboard
	store  *sqlstore.Store
	creds  *lrs.Credentials
	svc    *lrs.Service
	reader *fakeReader

	mu  sync.Mutex
	now time.Time
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

func newHarness(t testing.TB, reader *fakeReader) *harness {
	t.Helper()
	return newHarnessOver(t, func(*sqlstore.Store) progress.Reader { return reader }, reader)
}

// newStoreHarness is a harness whose reports come from the store's own
// progress (sqlstore.ProgressStore), as in coursekit serve.
func newStoreHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessOver(t, func(s *sqlstore.Store) progress.Reader { return s.Progress() }, nil)
}

func newHarnessOver(t testing.TB, readerOf func(*sqlstore.Store) progress.Reader, fake *fakeReader) *harness {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	store := lrstest.NewStore(t)
	h := &harness{store: store, reader: fake, now: time.Now().UTC()}
	h.creds = lrs.NewCredentials(store, h.clock)
	h.svc = lrs.NewService(store, logger, h.clock)
	var err error
	h.d, err = web.New(web.Config{Reader: readerOf(store), Statements: h.svc, Credentials: h.creds, Logger: logger, Now: h.clock,
		SessionKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// credential creates a credential and returns its key and secret.
func (h *harness) credential(t testing.TB, name string, scopes ...string) (string, string) {
	t.Helper()
	key, secret, err := h.creds.Create(context.Background(), name, scopes)
	if err != nil {
		t.Fatal(err)
	}
	return key, secret
}

// authority is the IFI statements stored with the credential carry.
func (h *harness) authority(t testing.TB, key string) string {
	t.Helper()
	cred, err := h.store.Credential(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	a, err := xapi.ParseAgent(cred.Authority, xapi.Version200)
	if err != nil {
		t.Fatal(err)
	}
	return a.IFI()
}

// storeStatements stores statements (JSON) as the credential would.
func (h *harness) storeStatements(t testing.TB, key, secret string, statements ...string) []string {
	t.Helper()
	ctx := context.Background()
	cred, err := h.creds.Authenticate(ctx, key, secret)
	if err != nil {
		t.Fatal(err)
	}
	authority, err := xapi.ParseAgent(cred.Authority, xapi.Version200)
	if err != nil {
		t.Fatal(err)
	}
	var sts []xapi.Statement
	for _, s := range statements {
		st, err := xapi.DecodeStatement([]byte(s), xapi.Version200)
		if err != nil {
			t.Fatalf("decode %s: %v", s, err)
		}
		sts = append(sts, *st)
	}
	ids, err := h.svc.StoreStatements(ctx, lrs.Batch{Statements: sts, Version: xapi.Version200, Authority: authority})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// client is a browser's view of the dashboard: it keeps cookies and can
// pretend its requests came over TLS.
type client struct {
	t       testing.TB
	h       http.Handler
	cookies map[string]*http.Cookie
	tls     bool
	// header is sent with every request.
	header http.Header
}

func (h *harness) client(t testing.TB) *client {
	return &client{t: t, h: h.d, cookies: map[string]*http.Cookie{}}
}

func (c *client) do(method, target string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	if c.tls {
		req.TLS = &tls.ConnectionState{}
	}
	for _, ck := range c.cookies {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return rec
}

func (c *client) get(target string) *httptest.ResponseRecorder {
	return c.do(http.MethodGet, target, nil)
}

func (c *client) post(target string, form url.Values) *httptest.ResponseRecorder {
	return c.do(http.MethodPost, target, form)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the form token of the page at target.
func (c *client) csrf(target string) string {
	c.t.Helper()
	rec := c.get(target)
	m := csrfField.FindStringSubmatch(rec.Body.String())
	if m == nil {
		c.t.Fatalf("GET %s: no form token in %d %s", target, rec.Code, rec.Body.String())
	}
	return m[1]
}

// login logs in and returns the response to the login form.
func (c *client) login(key, secret string) *httptest.ResponseRecorder {
	c.t.Helper()
	return c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "key": {key}, "secret": {secret}})
}

// loggedIn returns a client logged in with a new credential of the scopes.
func (h *harness) loggedIn(t testing.TB, scopes ...string) (*client, string) {
	t.Helper()
	key, secret := h.credential(t, "manager", scopes...)
	c := h.client(t)
	if rec := c.login(key, secret); rec.Code != http.StatusSeeOther {
		t.Fatalf("login with %v: %d %s", scopes, rec.Code, rec.Body.String())
	}
	return c, key
}
