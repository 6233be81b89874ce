package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
)

// registerExtensionRoutes adds coursekit's own resources under extensions/,
// the path xAPI leaves to LRSs for resources it does not define
// (Communication §2.0).
func registerExtensionRoutes(g *echo.Group, s *Server) {
	g.GET("/extensions/coursekit/credential", s.handleGetCredential)
}

// credentialInfo is what a credential may learn about itself.
type credentialInfo struct {
	Key    string   `json:"key"`
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
}

// handleGetCredential tells the holder of a credential what that credential
// may do, so that coursekit build can refuse to bake one that can do more
// than write statements into a package anyone can open. Any valid
// credential may ask about itself and about nothing else.
func (s *Server) handleGetCredential(c echo.Context) error {
	key, secret, ok := c.Request().BasicAuth()
	if !ok {
		return lrs.ErrUnauthorized
	}
	cred, err := s.creds.Authenticate(c.Request().Context(), key, secret)
	if err != nil {
		return err
	}
	scopes := cred.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	return c.JSON(http.StatusOK, credentialInfo{Key: cred.Key, Name: cred.Name, Scopes: scopes})
}
