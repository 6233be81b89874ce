package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/course"
	"github.com/coursekit/coursekit/pkg/xapi"
)

type seedCmd struct {
	stdout, stderr io.Writer
	now            func() time.Time
}

const seedUsage = `
Usage: coursekit seed [--db DSN] --course DIR [--learners 200] [--seed 1] [flags]

Fills an LRS with demo activity: registers the course in DIR with the LRS
(as "coursekit courses add" does), then makes up learners taking it and
stores their statements through the LRS's ingest path, exactly as the
course player sends them: cmi5 and xAPI sessions of initialized,
experienced lessons (with learners dropping off along the course),
answered questions (right and plausible wrong answers), reflections and
essays, passed or failed with a score, completed and terminated. Some
learners try again in a new registration. Learners are split into four
cohorts (context.team) and spread over the past --days. The same --seed
gives the same learners and statements; seeding a database twice with the
same seed fails, since the statement ids are the same. The statements'
authority is a credential named "coursekit seed".

Prints one line: learners, statements and seconds taken.
`

// seedCredentialName names the credential the seeded statements are stored
// as.
const seedCredentialName = "coursekit seed"

func (c *seedCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("seed", seedUsage, c.stdout)
	db := dbFlag(fs)
	dir := fs.String("course", "", "the course `folder` (holding course.yaml)")
	learners := fs.Int("learners", 200, "how many `learners` to make up")
	seed := fs.Uint64("seed", 1, "random `seed`: the same seed gives the same activity")
	days := fs.Int("days", 42, "spread the activity over this many past `days`")
	batch := fs.Int("batch", 500, "statements per store call")
	workers := fs.Int("workers", 4, "learners made and stored `concurrently`")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usagef("seed takes no arguments")
	case *dir == "":
		return usagef("--course DIR is required")
	case *learners < 1 || *batch < 1 || *workers < 1 || *days < 1:
		return usagef("--learners, --batch, --workers and --days must be at least 1")
	}
	crs, err := course.Load(*dir)
	if err != nil {
		return err
	}
	logger := newLogger(c.stderr, "text")
	store, err := openStore(ctx, *db, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	authority, err := seedAuthority(ctx, store, c.now)
	if err != nil {
		return err
	}
	if err := store.Progress().PutCourse(ctx, progress.FromCourse(crs)); err != nil {
		return fmt.Errorf("register course: %w", err)
	}
	start := time.Now()
	svc := lrs.NewService(store, logger, c.now)
	gen := newSeedGen(crs, *seed, c.now(), time.Duration(*days)*24*time.Hour)
	in := &seeder{gen: gen, svc: svc, authority: authority, batch: *batch}
	stop := in.showProgress(c.stderr, *learners)
	err = in.run(ctx, *learners, *workers)
	stop()
	if errors.Is(err, lrs.ErrConflict) {
		return fmt.Errorf("%w: this database already holds the activity of --seed %d; use another seed or a new database", err, *seed)
	}
	if err != nil {
		return err
	}
	if err := progress.NewWorker(store.Progress(), logger).CatchUp(ctx); err != nil {
		return fmt.Errorf("update progress: %w", err)
	}
	elapsed := time.Since(start)
	n := in.stored.Load()
	fmt.Fprintf(c.stdout, "seeded %d learners: %d statements in %.1f s (%.0f statements/s) for %s\n",
		*learners, n, elapsed.Seconds(), float64(n)/elapsed.Seconds(), crs.ID)
	return nil
}

// seedAuthority returns the authority of the "coursekit seed" credential,
// creating it (with only statements/write) the first time.
func seedAuthority(ctx context.Context, store lrs.Store, now func() time.Time) (xapi.Agent, error) {
	creds, err := store.Credentials(ctx)
	if err != nil {
		return xapi.Agent{}, err
	}
	var authority []byte
	for _, cr := range creds {
		if cr.Name == seedCredentialName && cr.RevokedAt.IsZero() {
			authority = cr.Authority
		}
	}
	if authority == nil {
		// The secret is not kept: the credential only names who stored the
		// statements.
		cred, _, err := lrs.NewCredentials(store, now).Mint(seedCredentialName, []string{string(lrs.ScopeStatementsWrite)}, time.Time{}, nil)
		if err != nil {
			return xapi.Agent{}, err
		}
		if err := store.InsertCredential(ctx, cred); err != nil {
			return xapi.Agent{}, fmt.Errorf("create the %q credential: %w", seedCredentialName, err)
		}
		authority = cred.Authority
	}
	return xapi.ParseAgent(authority, xapi.Version200)
}

// seeder makes learners on several goroutines and stores their statements
// in batches.
type seeder struct {
	gen       *seedGen
	svc       *lrs.Service
	authority xapi.Agent
	batch     int
	next      atomic.Int64 // the next learner to make
	done      atomic.Int64 // learners made and stored
	stored    atomic.Int64 // statements stored
}

func (s *seeder) run(ctx context.Context, learners, workers int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			if errs[w] = s.work(ctx, learners); errs[w] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return errors.Join(errs...)
}

// work makes learners until there are enough, storing a batch whenever it
// is full.
func (s *seeder) work(ctx context.Context, learners int) error {
	var pending [][]byte
	made := 0
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if err := s.store(ctx, pending); err != nil {
			return err
		}
		s.stored.Add(int64(len(pending)))
		s.done.Add(int64(made))
		pending, made = pending[:0], 0
		return nil
	}
	for ctx.Err() == nil {
		n := int(s.next.Add(1)) - 1
		if n >= learners {
			break
		}
		sts, err := seedMarshal(s.gen.learner(n))
		if err != nil {
			return err
		}
		pending = append(pending, sts...)
		made++
		for len(pending) >= s.batch {
			rest := append([][]byte(nil), pending[s.batch:]...)
			pending = pending[:s.batch]
			if err := flush(); err != nil {
				return err
			}
			pending = rest
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return flush()
}

// store sends one batch through the ingest path: decoded and validated as
// a POST of statements is, then stored.
func (s *seeder) store(ctx context.Context, sts [][]byte) error {
	body := append(append([]byte{'['}, bytes.Join(sts, []byte{','})...), ']')
	decoded, err := xapi.DecodeStatements(body, xapi.Version103)
	if err != nil {
		return fmt.Errorf("seeded statements: %w", err)
	}
	_, err = s.svc.StoreStatements(ctx, lrs.Batch{Statements: decoded, Version: xapi.Version103, Authority: s.authority, Define: true})
	return err
}

// showProgress prints the learners done on a terminal every second, and
// nothing when w is not one; the returned func stops it.
func (s *seeder) showProgress(w io.Writer, learners int) func() {
	if !isTerminal(w) {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(w, "\r\033[Kseeding: %d of %d learners, %d statements", s.done.Load(), learners, s.stored.Load())
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
