package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/coursekit/coursekit/lrs"
)

type scopeChoice struct{ Scope, Help string }

// scopeChoices are the scopes the create form offers, with what each is for.
var scopeChoices = []scopeChoice{
	{"statements/write", "send statements (a course package needs only this)"},
	{"statements/read", "read all statements and the dashboard"},
	{"statements/read/mine", "read the statements this credential stored"},
	{"all/read", "read everything"},
	{"state", "read and write the State resource"},
	{"define", "define activities and agents"},
	{"profile", "read and write profiles"},
	{"all", "everything, managing credentials included"},
}

type credentialsPage struct {
	Credentials []credentialRow
	// Tokens counts the cmi5 launch tokens left out of the list.
	Tokens  int
	Scopes  []scopeChoice
	Created *createdCredential
	Revoked string
	Error   string
	Name    string
}

type credentialRow struct {
	Key, Name, Scopes, Created, State string
	Active, Self                      bool
}

type createdCredential struct {
	Name, Key, Secret string
}

func (d *Dashboard) credentialsPage(r *http.Request, v *viewer) (credentialsPage, error) {
	all, err := d.cfg.Credentials.List(r.Context())
	if err != nil {
		return credentialsPage{}, err
	}
	p := credentialsPage{Scopes: scopeChoices}
	now := d.cfg.Now()
	slices.SortFunc(all, func(a, b lrs.Credential) int { return b.CreatedAt.Compare(a.CreatedAt) })
	for _, c := range all {
		if c.Restriction != nil {
			p.Tokens++
			continue
		}
		row := credentialRow{Key: c.Key, Name: c.Name, Scopes: strings.Join(c.Scopes, ", "), Created: when(c.CreatedAt),
			State: "active", Active: true, Self: c.Key == v.Key}
		switch {
		case !c.RevokedAt.IsZero():
			row.State, row.Active = "revoked "+when(c.RevokedAt), false
		case !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt):
			row.State, row.Active = "expired "+when(c.ExpiresAt), false
		}
		p.Credentials = append(p.Credentials, row)
	}
	return p, nil
}

func (d *Dashboard) handleCredentials(w http.ResponseWriter, r *http.Request, v *viewer) {
	p, err := d.credentialsPage(r, v)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	if k := r.URL.Query().Get("revoked"); k != "" {
		p.Revoked = k
	}
	d.render(w, r, http.StatusOK, "credentials", "Credentials", "credentials", v, p)
}

// handleCreateCredential creates a credential and shows its secret, this
// once: the page is not cached and the store keeps only a hash.
func (d *Dashboard) handleCreateCredential(w http.ResponseWriter, r *http.Request, v *viewer) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	var scopes []string
	for _, s := range r.PostForm["scope"] {
		if !slices.ContainsFunc(scopeChoices, func(c scopeChoice) bool { return c.Scope == s }) {
			d.fail(w, r, v, http.StatusBadRequest, "Unknown scope.")
			return
		}
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	var created *createdCredential
	status, msg := http.StatusOK, ""
	switch {
	case name == "" || len(name) > 200:
		status, msg = http.StatusBadRequest, "Give the credential a name (who or what it is for), up to 200 characters."
	case len(scopes) == 0:
		status, msg = http.StatusBadRequest, "Choose at least one scope."
	default:
		key, secret, err := d.cfg.Credentials.Create(r.Context(), name, scopes)
		if err != nil {
			d.failErr(w, r, v, err)
			return
		}
		d.cfg.Logger.Info("dashboard created a credential", "by", v.Key, "key", key, "scopes", scopes)
		created = &createdCredential{Name: name, Key: key, Secret: secret}
	}
	p, err := d.credentialsPage(r, v)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	p.Created, p.Error = created, msg
	if created == nil {
		p.Name = name
	}
	d.render(w, r, status, "credentials", "Credentials", "credentials", v, p)
}

func (d *Dashboard) handleRevokeCredential(w http.ResponseWriter, r *http.Request, v *viewer) {
	key := r.PostFormValue("key")
	err := d.cfg.Credentials.Revoke(r.Context(), key)
	if errors.Is(err, lrs.ErrNotFound) {
		d.fail(w, r, v, http.StatusNotFound, "There is no credential with this key.")
		return
	}
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	d.cfg.Logger.Info("dashboard revoked a credential", "by", v.Key, "key", key)
	http.Redirect(w, r, link("/credentials", map[string][]string{"revoked": {key}}), http.StatusSeeOther)
}
