package progress

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

// BatchSize is the most statements the Worker folds in one transaction.
// A batch takes every statement stored since the last one, up to
// BatchSize: a learner's statements in one batch are folded at once, so
// fewer, bigger batches cost less per statement (BenchmarkWorkerFollow in
// lrs/sqlstore).
const BatchSize = 16000

// ErrCursorMoved is what WorkerStore.Apply returns when the cursor is no
// longer where the batch started: another node applied it.
var ErrCursorMoved = errors.New("progress cursor moved")

// ErrBusy is what WorkerStore.Apply returns when another node is applying
// a batch.
var ErrBusy = errors.New("another worker is applying a batch")

// WorkerStore keeps facts and progress for the Worker. The store decides
// how far statements are safe to read: StatementsAfter never returns a
// statement while one with a lower seq may still be committed.
type WorkerStore interface {
	RegisteredCourses(ctx context.Context) ([]Course, error)
	// Cursor returns the seq of the last statement folded.
	Cursor(ctx context.Context) (int64, error)
	// StatementsAfter returns up to limit statements with seq > after, in
	// seq order, voided and voiding ones included.
	StatementsAfter(ctx context.Context, after int64, limit int) ([]lrs.Statement, error)
	// LastSeq returns the highest seq StatementsAfter may return now.
	LastSeq(ctx context.Context) (int64, error)
	// Apply runs fn in one transaction that also moves the cursor from
	// from to to, so that a batch counts once or not at all. It returns
	// ErrCursorMoved or ErrBusy, without running fn, when another node
	// applied or is applying a batch.
	Apply(ctx context.Context, from, to int64, fn func(tx FactTx) error) error
	// Reset deletes every fact and all progress and sets the cursor to 0.
	Reset(ctx context.Context) error
}

// FactTx is a WorkerStore's transaction.
//
// The store keeps only the facts reports read: answers (the questions and
// responses reports). A learner folded again reads their statements.
type FactTx interface {
	// DeleteFacts deletes what InsertFacts kept of those statements.
	DeleteFacts(ctx context.Context, statementIDs []string) error
	// InsertFacts keeps the answers among facts.
	InsertFacts(ctx context.Context, facts []Fact) error
	// LearnerStatements returns the statements with seq up to upTo whose
	// actor is one of learners (IFIs), voided and voiding ones left out.
	LearnerStatements(ctx context.Context, learners []string, upTo int64) ([]lrs.Statement, error)
	// StatementsByID returns those of the statements that are stored,
	// voided or not.
	StatementsByID(ctx context.Context, ids []string) ([]lrs.Statement, error)
	// Folded returns the progress stored of those keys that have some.
	Folded(ctx context.Context, keys []Key) (map[Key]Folded, error)
	// PutProgress replaces the progress of the keys with learners (a
	// learner's progress, for the keys that have facts) and registrations.
	PutProgress(ctx context.Context, keys []Key, learners, registrations []Progress) error
	// ExtendProgress stores learners' progress (and their registrations')
	// that Extend computed from folded, the progress Folded returned:
	// the same as PutProgress, writing less, since lessons viewed and
	// groups are only ever added to and registrations never go.
	ExtendProgress(ctx context.Context, learners, registrations []Progress, folded map[Key]Folded) error
}

// Folded is the progress folded so far of one learner in one course.
type Folded struct {
	Learner Progress
	// Registrations are the learner's registrations' progress, with their
	// Session.
	Registrations []Progress
	// Complete is false when the store lacks what Extend needs (progress
	// stored before it kept sessions): the facts are folded again.
	Complete bool
}

// Worker follows the store's statement sequence and keeps progress up to
// date, a batch at a time.
type Worker struct {
	store  WorkerStore
	logger *slog.Logger
	// batch is the most statements a batch folds.
	batch int
}

// NewWorker returns a worker on store; a nil logger discards.
func NewWorker(store WorkerStore, logger *slog.Logger) *Worker {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Worker{store: store, logger: logger, batch: BatchSize}
}

// CatchUp folds every statement stored so far and returns when done.
func (w *Worker) CatchUp(ctx context.Context) error {
	for {
		n, err := w.Step(ctx)
		switch {
		case errors.Is(err, ErrBusy):
			// Another node folds this batch; wait for it.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		case err != nil:
			return err
		case n < w.batch:
			// That batch took every statement there was when it
			// started. Statements stored since wait for the next
			// CatchUp: folded together, each learner's progress is
			// written once for all of them (Run calls CatchUp every
			// interval).
			return nil
		}
	}
}

// Run catches up every interval until ctx is done, logging failures.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := w.CatchUp(ctx); err != nil && ctx.Err() == nil {
			w.logger.ErrorContext(ctx, "progress worker", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Rebuild deletes all progress and folds every stored statement again.
func (w *Worker) Rebuild(ctx context.Context) error {
	if err := w.store.Reset(ctx); err != nil {
		return fmt.Errorf("rebuild progress: %w", err)
	}
	return w.CatchUp(ctx)
}

// Step folds one batch of statements and returns how many it read (0 when
// there were none); a batch another node applied counts as read.
func (w *Worker) Step(ctx context.Context) (int, error) {
	courses, err := w.store.RegisteredCourses(ctx)
	if err != nil {
		return 0, fmt.Errorf("fold statements: %w", err)
	}
	byID := make(map[string]Course, len(courses))
	for _, c := range courses {
		byID[c.ID] = c
	}
	m := NewMatcher(courses)
	from, err := w.store.Cursor(ctx)
	if err != nil {
		return 0, fmt.Errorf("fold statements: %w", err)
	}
	if len(courses) == 0 {
		return 0, w.skip(ctx, from)
	}
	stmts, err := w.store.StatementsAfter(ctx, from, w.batch)
	if err != nil || len(stmts) == 0 {
		return 0, err
	}
	var (
		facts  []Fact
		voided []string
	)
	inBatch := map[string]bool{}
	for _, st := range stmts {
		if st.VoidsID != "" {
			voided = append(voided, st.VoidsID)
			inBatch[st.VoidsID] = true
		}
	}
	for _, st := range stmts {
		// A statement read before the one voiding it was stored may not
		// say it is voided; its voiding statement is in this batch or a
		// later one, which takes its facts back out.
		if st.VoidsID != "" || inBatch[st.ID] {
			continue
		}
		fs, err := m.Facts(st)
		if err != nil {
			// Stored statements were valid when stored; one that no
			// longer decodes must not stop progress for everyone.
			w.logger.WarnContext(ctx, "progress: statement skipped", "seq", st.Seq, "err", err)
			continue
		}
		facts = append(facts, fs...)
	}
	to := stmts[len(stmts)-1].Seq
	err = w.store.Apply(ctx, from, to, func(tx FactTx) error {
		return w.apply(ctx, tx, batch{courses: byID, m: m, to: to, voided: voided, facts: facts})
	})
	switch {
	case errors.Is(err, ErrCursorMoved):
		return len(stmts), nil
	case err != nil:
		return 0, fmt.Errorf("fold statements after %d: %w", from, err)
	}
	return len(stmts), nil
}

// skip moves the cursor past every statement stored, reading none: with no
// course registered there is nothing to fold them into, and registering a
// course folds every stored statement again (Registry.PutCourse).
func (w *Worker) skip(ctx context.Context, from int64) error {
	to, err := w.store.LastSeq(ctx)
	if err != nil || to <= from {
		return err
	}
	err = w.store.Apply(ctx, from, to, func(FactTx) error { return nil })
	if err != nil && !errors.Is(err, ErrCursorMoved) {
		return fmt.Errorf("skip statements after %d: %w", from, err)
	}
	return nil
}

// batch is what apply folds.
type batch struct {
	courses map[string]Course
	m       *Matcher
	to      int64    // the seq of its last statement
	voided  []string // the ids its statements void
	facts   []Fact
}

// apply folds a batch: it deletes the voided statements' facts, inserts
// the new facts and updates the progress of the learners they are about.
// A learner whose new facts all come after those folded before, and who
// lost none, has them folded into the stored progress (Extend), reading
// none of their earlier facts; the others are folded again from all their
// statements.
func (w *Worker) apply(ctx context.Context, tx FactTx, b batch) error {
	refold, err := w.voidedKeys(ctx, tx, b)
	if err != nil {
		return err
	}
	if err := tx.InsertFacts(ctx, b.facts); err != nil {
		return err
	}
	byKey := map[Key][]Fact{}
	for _, f := range b.facts {
		if !refold[f.Key()] {
			byKey[f.Key()] = append(byKey[f.Key()], f)
		}
	}
	added := slices.SortedFunc(maps.Keys(byKey), compareKeys)
	folded, err := tx.Folded(ctx, added)
	if err != nil {
		return err
	}
	var learners, regs, extended, extendedRegs []Progress
	for _, k := range added {
		c, ok := b.courses[k.Course]
		if !ok {
			c = Course{ID: k.Course}
		}
		switch fd, ok := folded[k]; {
		case !ok:
			// No progress stored: these are the learner's first facts.
			l, rs := Fold(c, byKey[k])
			learners, regs = append(learners, l), append(regs, rs...)
		case fd.Complete && Extends(fd.Learner, byKey[k]):
			l, rs := Extend(c, fd.Learner, fd.Registrations, byKey[k])
			extended, extendedRegs = append(extended, l), append(extendedRegs, rs...)
		default:
			refold[k] = true
		}
	}
	if err := tx.ExtendProgress(ctx, extended, extendedRegs, folded); err != nil {
		return err
	}
	again := slices.SortedFunc(maps.Keys(refold), compareKeys)
	all, err := w.factsOf(ctx, tx, b, again)
	if err != nil {
		return err
	}
	ls, rs := FoldAll(b.courses, all)
	learners, regs = append(learners, ls...), append(regs, rs...)
	var keys []Key
	for _, k := range added {
		if _, ok := folded[k]; !ok {
			keys = append(keys, k)
		}
	}
	keys = append(keys, again...)
	slices.SortFunc(keys, compareKeys)
	keys = slices.Compact(keys)
	return tx.PutProgress(ctx, keys, learners, regs)
}

// voidedKeys deletes the facts of the statements the batch voids and
// returns the learners they were about, to fold again.
func (w *Worker) voidedKeys(ctx context.Context, tx FactTx, b batch) (map[Key]bool, error) {
	refold := map[Key]bool{}
	if len(b.voided) == 0 {
		return refold, nil
	}
	// This reads the voided statements of this batch too, never folded:
	// their learners are folded again for nothing, which is only rare.
	targets, err := tx.StatementsByID(ctx, b.voided)
	if err != nil {
		return nil, err
	}
	for _, st := range targets {
		st.Voided = false // the facts it had before
		fs, err := b.m.Facts(st)
		if err != nil {
			continue // never folded: see Step
		}
		for _, f := range fs {
			refold[f.Key()] = true
		}
	}
	return refold, tx.DeleteFacts(ctx, b.voided)
}

// factsOf returns every fact of the keys' learners up to the batch's last
// statement, from their statements.
func (w *Worker) factsOf(ctx context.Context, tx FactTx, b batch, keys []Key) ([]Fact, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	want := make(map[Key]bool, len(keys))
	var learners []string
	for _, k := range keys {
		want[k] = true
		learners = append(learners, k.Learner)
	}
	slices.Sort(learners)
	stmts, err := tx.LearnerStatements(ctx, slices.Compact(learners), b.to)
	if err != nil {
		return nil, err
	}
	voided := make(map[string]bool, len(b.voided))
	for _, id := range b.voided {
		voided[id] = true
	}
	var facts []Fact
	for _, st := range stmts {
		if voided[st.ID] {
			continue // see Step
		}
		fs, err := b.m.Facts(st)
		if err != nil {
			w.logger.WarnContext(ctx, "progress: statement skipped", "seq", st.Seq, "err", err)
			continue
		}
		for _, f := range fs {
			if want[f.Key()] {
				facts = append(facts, f)
			}
		}
	}
	return facts, nil
}

func compareKeys(a, b Key) int {
	if a.Course != b.Course {
		if a.Course < b.Course {
			return -1
		}
		return 1
	}
	switch {
	case a.Learner < b.Learner:
		return -1
	case a.Learner > b.Learner:
		return 1
	}
	return 0
}

// FoldAll folds facts of any learners and courses: the progress of each
// learner (in key order) and of each of their registrations.
func FoldAll(courses map[string]Course, facts []Fact) (learners, registrations []Progress) {
	byKey := map[Key][]Fact{}
	for _, f := range facts {
		byKey[f.Key()] = append(byKey[f.Key()], f)
	}
	for _, k := range slices.SortedFunc(maps.Keys(byKey), compareKeys) {
		c, ok := courses[k.Course]
		if !ok {
			c = Course{ID: k.Course}
		}
		l, rs := Fold(c, byKey[k])
		learners = append(learners, l)
		registrations = append(registrations, rs...)
	}
	return learners, registrations
}
