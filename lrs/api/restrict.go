package api

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// restrictedNeeds are what a restricted credential (a cmi5 session token)
// may ask for at all: writing statements and reading and writing state
// and reading profiles, each then checked against its restriction. Every
// other route refuses it, whatever its scopes.
var restrictedNeeds = []lrs.Scope{lrs.ScopeStatementsWrite, lrs.ScopeState, lrs.ReadState, lrs.ReadProfile}

// restrictedMay refuses a restricted credential a route it never may use.
func restrictedMay(cred lrs.Credential, need lrs.Scope) error {
	if cred.Restriction == nil || slices.Contains(restrictedNeeds, need) {
		return nil
	}
	return &requestError{http.StatusForbidden, errorBody{Error: "this credential may not do this", Property: "scope",
		Rule: "a cmi5 session token writes its learner's statements and state and reads LMS.LaunchData and the learner preferences, nothing else"}}
}

// checkStatements refuses the whole batch when a restricted credential may
// not store one of its statements.
func checkStatements(c echo.Context, sts []xapi.Statement) error {
	cred, _ := credential(c)
	if cred.Restriction == nil {
		return nil
	}
	for i := range sts {
		n := i
		if len(sts) == 1 {
			n = -1
		}
		if err := cred.Restriction.CheckStatement(n, &sts[i]); err != nil {
			return err
		}
	}
	return nil
}

// endSession shortens a restricted credential's life to its grace period
// once its session's last statement is stored. The statements are stored
// whatever happens here.
func (s *Server) endSession(c echo.Context, sts []xapi.Statement) {
	cred, _ := credential(c)
	if cred.Restriction == nil || !cred.Restriction.Ends(sts) {
		return
	}
	if err := s.creds.Expire(c.Request().Context(), cred.Key, s.now().Add(cred.Restriction.Grace)); err != nil {
		s.log.Error("end a cmi5 session's token", "key", cred.Key, "err", err)
	}
}

// checkDocument refuses a restricted credential a document it may not
// read or write.
func checkDocument(c echo.Context, key lrs.DocumentKey, write bool) error {
	cred, _ := credential(c)
	if cred.Restriction == nil {
		return nil
	}
	return cred.Restriction.CheckDocument(key, write)
}
