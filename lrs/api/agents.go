package api

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
)

func registerAgentRoutes(g *echo.Group, s *Server) {
	read := s.requireScope(lrs.ReadDefinitions)
	g.GET("/agents", s.handleGetAgent, read)
	g.HEAD("/agents", s.handleGetAgent, read)
}

// handleGetAgent returns the Person object for the agent parameter: its
// identifier and the names the LRS has learned for it (Communication §2.4).
func (s *Server) handleGetAgent(c echo.Context) error {
	q := c.QueryParams()
	if err := onlyParams(q, "agent"); err != nil {
		return err
	}
	a, err := agentParam(q, version(c))
	if err != nil {
		return err
	}
	body, err := s.cfg.Documents.Person(c.Request().Context(), a)
	if err != nil {
		return err
	}
	return writeDocument(c, echo.MIMEApplicationJSON, body, "", time.Time{})
}
