package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
)

const credentialKey = "credential"

// requireScope authenticates the request with HTTP Basic and checks that the
// credential holds the scope: 401 without a valid credential, 403 with one
// that lacks it. Reads may be anonymous when the server allows it; writes
// never are.
func (s *Server) requireScope(need lrs.Scope) echo.MiddlewareFunc {
	read := need == lrs.ScopeStatementsRead || need == lrs.ScopeStatementsReadMine || need == lrs.ScopeAllRead
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			key, secret, ok := c.Request().BasicAuth()
			if !ok {
				if read && s.cfg.AllowAnonymousRead {
					return next(c)
				}
				return lrs.ErrUnauthorized
			}
			cred, err := s.creds.Authenticate(c.Request().Context(), key, secret)
			if err != nil {
				return err
			}
			if !lrs.Allows(cred.Scopes, need) {
				return &requestError{http.StatusForbidden, errorBody{Error: "this credential's scopes do not allow it", Property: "scope", Rule: "needs " + string(need)}}
			}
			if err := restrictedMay(cred, need); err != nil {
				return err
			}
			c.Set(credentialKey, cred)
			return next(c)
		}
	}
}

// credential is the request's authenticated credential; ok is false for an
// anonymous read.
func credential(c echo.Context) (lrs.Credential, bool) {
	cred, ok := c.Get(credentialKey).(lrs.Credential)
	return cred, ok
}
