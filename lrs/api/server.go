// Package api is the LRS's HTTP interface on echo v4: the xAPI resources
// under /xapi/, health and readiness probes, and Prometheus metrics.
// Handlers are thin: decode, call the lrs service, encode. Errors become
// statuses in one place, errors.go.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/cmi5"
	"github.com/coursekit/coursekit/lrs/progress"
)

// Config holds the server's settings.
type Config struct {
	// AllowedOrigins are the origins browsers may call the xAPI from (CORS);
	// "*" allows any. Empty allows none.
	AllowedOrigins []string
	// MaxBodyBytes bounds request bodies; larger ones get 413.
	MaxBodyBytes int64
	// AllowAnonymousRead lets requests without credentials read statements.
	// Writes always need a credential.
	AllowAnonymousRead bool
	// Documents serves the State, Activity Profile, Agent Profile,
	// Activities and Agents resources; nil leaves them out.
	Documents *lrs.Documents
	// MaxDocumentBytes bounds a document; a larger one gets 413. Zero is
	// DefaultMaxDocumentBytes.
	MaxDocumentBytes int64
	// DefineAny lets every credential's statements define activities and
	// agents, not only those of credentials with the define scope.
	DefineAny bool
	// Launcher serves cmi5 launches at /cmi5/; nil leaves them out.
	Launcher *cmi5.Launcher
	// PublicURL is the server's URL as browsers reach it, for the URLs a
	// launch hands out; empty takes the request's scheme and Host.
	PublicURL string
	// Reports answers the learner reports at /api/reports/; nil leaves
	// them out.
	Reports progress.Reader
	// Dashboard serves every path the LRS's own routes do not (the
	// lrs/web dashboard at /); nil leaves them 404.
	Dashboard http.Handler
}

// DefaultMaxBodyBytes is the body limit when Config leaves it zero.
const DefaultMaxBodyBytes = 16 << 20

// Pinger is a store that can say whether its database answers; /readyz
// uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server is the LRS's HTTP server.
type Server struct {
	e      *echo.Echo
	svc    *lrs.Service
	creds  *lrs.Credentials
	ready  Pinger
	log    *slog.Logger
	cfg    Config
	now    func() time.Time
	reqs   *prometheus.CounterVec
	timing *prometheus.HistogramVec
	allow  map[string]string // the methods of each /xapi path (see handleUnmatched)
}

// New returns a server. reg receives the server's metrics and is served at
// /metrics.
func New(cfg Config, svc *lrs.Service, creds *lrs.Credentials, ready Pinger, logger *slog.Logger, reg *prometheus.Registry, now func() time.Time) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &Server{e: echo.New(), svc: svc, creds: creds, ready: ready, log: logger, cfg: cfg, now: now}
	s.reqs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "coursekit_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "code"})
	s.timing = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "coursekit_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route", "method"})
	reg.MustRegister(s.reqs, s.timing)

	e := s.e
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Pre(s.consistentThrough, s.alternateSyntax)
	e.Use(middleware.Recover())
	e.Use(s.logRequests())
	e.Use(s.measure)

	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", s.handleReady)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))

	x := e.Group("/xapi", s.versionHeader, s.cors(), middleware.BodyLimit(byteSize(cfg.MaxBodyBytes)))
	x.GET("/about", s.handleAbout)
	x.HEAD("/about", s.handleAbout)
	registerStatementRoutes(x, s)
	registerExtensionRoutes(x, s)
	registerDocumentRoutes(x, s)
	x.RouteNotFound("/*", s.handleUnmatched)
	registerCMI5Routes(e, s)
	registerReportRoutes(e, s)
	registerDashboard(e, cfg.Dashboard)
	s.allow = allowedMethods(e.Routes(), "/xapi")
	return s
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

func (s *Server) handleReady(c echo.Context) error {
	if err := s.ready.Ping(c.Request().Context()); err != nil {
		s.log.Error("readiness check failed", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) logRequests() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{slog.String("method", v.Method), slog.String("uri", v.URI),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency)}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("err", v.Error.Error()))
			}
			s.log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}

func (s *Server) measure(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		s.reqs.WithLabelValues(route, c.Request().Method, itoa(c.Response().Status)).Inc()
		s.timing.WithLabelValues(route, c.Request().Method).Observe(time.Since(start).Seconds())
		return nil
	}
}

func (s *Server) cors() echo.MiddlewareFunc {
	cfg := middleware.CORSConfig{
		AllowOrigins: s.cfg.AllowedOrigins,
		AllowMethods: []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodOptions},
		AllowHeaders: []string{"Authorization", "Content-Type", "X-Experience-API-Version", "If-Match", "If-None-Match", "Accept-Language"},
		ExposeHeaders: []string{"ETag", "Last-Modified", "Content-Type", "X-Experience-API-Version",
			"X-Experience-API-Consistent-Through"},
		MaxAge: 3600,
	}
	if len(s.cfg.AllowedOrigins) == 0 {
		// echo reads no origins as any origin ("*"); Config promises none.
		cfg.AllowOriginFunc = func(string) (bool, error) { return false, nil }
	}
	return middleware.CORSWithConfig(cfg)
}

func byteSize(n int64) string {
	return strings.TrimSpace(itoa64(n)) + "B"
}
