package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// The cookies: the session, and before login a nonce the login form's
// token is bound to.
const (
	sessionCookie = "coursekit_session"
	loginCookie   = "coursekit_login"
)

// viewer is the logged-in credential a request acts as.
type viewer struct {
	Key  string
	Name string
	// Mine is the credential's authority IFI when it may read only the
	// statements it stored (statements/read/mine); empty when it may read
	// all.
	Mine string
	// Admin: the all scope, which the credentials page needs.
	Admin bool
	// CSRF is the token every form of this session carries.
	CSRF string
}

// session is what the signed session cookie holds.
type session struct {
	key     string
	expires time.Time
	nonce   string
}

func (d *Dashboard) sign(payload string) string {
	m := hmac.New(sha256.New, d.cfg.SessionKey)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// encodeSession returns the cookie value: the payload and its HMAC.
func (d *Dashboard) encodeSession(s session) string {
	payload := "v1|" + s.key + "|" + strconv.FormatInt(s.expires.Unix(), 10) + "|" + s.nonce
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + d.sign("session|"+payload)
}

// decodeSession checks the cookie's signature and expiry.
func (d *Dashboard) decodeSession(value string) (session, bool) {
	enc, mac, ok := strings.Cut(value, ".")
	if !ok {
		return session{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return session{}, false
	}
	payload := string(raw)
	if !hmac.Equal([]byte(mac), []byte(d.sign("session|"+payload))) {
		return session{}, false
	}
	parts := strings.Split(payload, "|")
	if len(parts) != 4 || parts[0] != "v1" {
		return session{}, false
	}
	unix, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return session{}, false
	}
	s := session{key: parts[1], expires: time.Unix(unix, 0), nonce: parts[3]}
	if !d.cfg.Now().Before(s.expires) {
		return session{}, false
	}
	return s, true
}

// csrfToken is a form token bound to a nonce: the session's, or before
// login the login cookie's.
func (d *Dashboard) csrfToken(purpose, nonce string) string {
	return d.sign("csrf|" + purpose + "|" + nonce)
}

func checkToken(r *http.Request, want string) bool {
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(want))
}

func newNonce() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (d *Dashboard) setCookie(w http.ResponseWriter, r *http.Request, c *http.Cookie) {
	c.HttpOnly = true
	c.Secure = r.TLS != nil
	if c.SameSite == 0 {
		c.SameSite = http.SameSiteLaxMode
	}
	http.SetCookie(w, c)
}

// maxForm bounds a form post: the dashboard's forms are a few fields.
const maxForm = 64 << 10

// authed lets only a valid session through: one whose cookie is signed
// and unexpired and whose credential is still valid and may read, checked
// on every request so that a revoked credential's sessions end at once on
// this node. Others are sent to the login page. A POST must also carry
// the session's form token.
func (d *Dashboard) authed(h func(http.ResponseWriter, *http.Request, *viewer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := d.viewer(r)
		if err != nil {
			if !errors.Is(err, lrs.ErrUnauthorized) {
				d.failErr(w, r, nil, err)
				return
			}
			if r.Method != http.MethodGet {
				d.fail(w, r, nil, http.StatusUnauthorized, "Your session has ended; log in again.")
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if !checkToken(r, v.CSRF) {
				d.fail(w, r, v, http.StatusForbidden, "This form has expired or did not come from this dashboard; reload the page and try again.")
				return
			}
		}
		h(w, r, v)
	}
}

// admin lets only credentials with the all scope through.
func (d *Dashboard) admin(h func(http.ResponseWriter, *http.Request, *viewer)) func(http.ResponseWriter, *http.Request, *viewer) {
	return func(w http.ResponseWriter, r *http.Request, v *viewer) {
		if !v.Admin {
			d.fail(w, r, v, http.StatusForbidden, "Only a credential with the all scope may manage credentials.")
			return
		}
		h(w, r, v)
	}
}

func (d *Dashboard) viewer(r *http.Request) (*viewer, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, lrs.ErrUnauthorized
	}
	s, ok := d.decodeSession(c.Value)
	if !ok {
		return nil, lrs.ErrUnauthorized
	}
	cred, err := d.cfg.Credentials.Valid(r.Context(), s.key)
	if err != nil {
		return nil, err
	}
	v, err := newViewer(cred)
	if err != nil {
		return nil, err
	}
	v.CSRF = d.csrfToken("session", s.nonce)
	return v, nil
}

// newViewer returns the viewer a credential logs in as, or
// ErrUnauthorized for one that may not use the dashboard: it needs a read
// scope and no restriction (a cmi5 session token has one).
func newViewer(cred lrs.Credential) (*viewer, error) {
	if cred.Restriction != nil || !lrs.Allows(cred.Scopes, lrs.ScopeStatementsReadMine) {
		return nil, lrs.ErrUnauthorized
	}
	v := &viewer{Key: cred.Key, Name: cred.Name, Admin: slices.Contains(cred.Scopes, string(lrs.ScopeAll))}
	if !lrs.Allows(cred.Scopes, lrs.ScopeStatementsRead) {
		authority, err := xapi.ParseAgent(cred.Authority, xapi.Version200)
		if err != nil {
			return nil, errors.Join(lrs.ErrUnauthorized, err)
		}
		if v.Mine = authority.IFI(); v.Mine == "" {
			return nil, lrs.ErrUnauthorized
		}
	}
	return v, nil
}

type loginPage struct {
	CSRF  string
	Next  string
	Key   string
	Error string
}

func (d *Dashboard) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := d.viewer(r); err == nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	d.renderLogin(w, r, http.StatusOK, loginPage{Next: localPath(r.URL.Query().Get("next"))})
}

// renderLogin shows the login form with a token bound to the nonce in the
// login cookie. The nonce is kept while the browser has one: a second
// login page (another tab, or a request the browser makes by itself)
// must not void the form of the first.
func (d *Dashboard) renderLogin(w http.ResponseWriter, r *http.Request, status int, p loginPage) {
	nonce := newNonce()
	if c, err := r.Cookie(loginCookie); err == nil && len(c.Value) == len(nonce) {
		nonce = c.Value
	}
	d.setCookie(w, r, &http.Cookie{Name: loginCookie, Value: nonce, Path: "/login", MaxAge: 3600, SameSite: http.SameSiteStrictMode})
	p.CSRF = d.csrfToken("login", nonce)
	d.render(w, r, status, "login", "Log in", "", nil, p)
}

func (d *Dashboard) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	next := localPath(r.PostFormValue("next"))
	c, err := r.Cookie(loginCookie)
	if err != nil || !checkToken(r, d.csrfToken("login", c.Value)) {
		d.renderLogin(w, r, http.StatusForbidden, loginPage{Next: next,
			Error: "The login form expired or did not come from this dashboard; try again."})
		return
	}
	key := strings.TrimSpace(r.PostFormValue("key"))
	cred, err := d.cfg.Credentials.Authenticate(r.Context(), key, r.PostFormValue("secret"))
	if err == nil {
		_, err = newViewer(cred)
	}
	if errors.Is(err, lrs.ErrUnauthorized) {
		d.renderLogin(w, r, http.StatusUnauthorized, loginPage{Next: next, Key: key,
			Error: "That key and secret do not match a credential that may read statements."})
		return
	}
	if err != nil {
		d.failErr(w, r, nil, err)
		return
	}
	expires := d.cfg.Now().Add(d.cfg.SessionTTL)
	d.setCookie(w, r, &http.Cookie{Name: loginCookie, Path: "/login", MaxAge: -1})
	d.setCookie(w, r, &http.Cookie{Name: sessionCookie, Path: "/", Expires: expires, MaxAge: int(d.cfg.SessionTTL / time.Second),
		Value: d.encodeSession(session{key: cred.Key, expires: expires, nonce: newNonce()})})
	d.cfg.Logger.Info("dashboard login", "credential", cred.Key)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (d *Dashboard) handleLogout(w http.ResponseWriter, r *http.Request, v *viewer) {
	d.setCookie(w, r, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// localPath returns next when it is a path on this site, else "/": a
// login link must not send anyone elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "/login" {
		return "/"
	}
	return next
}
