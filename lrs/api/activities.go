package api

import (
	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
)

func registerActivityRoutes(g *echo.Group, s *Server) {
	read := s.requireScope(lrs.ReadDefinitions)
	g.GET("/activities", s.handleGetActivity, read)
	g.HEAD("/activities", s.handleGetActivity, read)
}

// handleGetActivity returns the Activity object with the canonical
// definition the LRS has learned, or only the id of an activity it has not
// (Communication §2.5).
func (s *Server) handleGetActivity(c echo.Context) error {
	q := c.QueryParams()
	if err := onlyParams(q, "activityId"); err != nil {
		return err
	}
	id := q.Get("activityId")
	switch {
	case id == "":
		return badRequest("parameter", "activityId", "is required")
	case !isIRI(id) || !cleanText(id):
		return badRequest("parameter", "activityId", "must be an IRI")
	}
	body, updated, err := s.cfg.Documents.Activity(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return writeDocument(c, echo.MIMEApplicationJSON, body, "", updated)
}
