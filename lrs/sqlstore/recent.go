package sqlstore

import (
	"slices"
	"sync"

	"github.com/coursekit/coursekit/lrs"
)

// The progress worker folds every statement soon after it is committed.
// Reading each one back from the database cost PostgreSQL ingest about a
// fifth of its throughput, for statements this process had in memory a
// moment before. So the statement writers hand what they commit to recent,
// and the worker takes from it the statements it finds there
// (StatementsAfter), reading from the database only the seqs of the
// statements to fold and the statements it does not find: those other
// processes stored, and any recent no longer holds.

// recentMaxBytes bounds the statement JSON recent holds: when the worker
// falls behind by more, it reads the rest from the database.
const recentMaxBytes = 64 << 20

// recentStatements holds statements this process committed, in commit
// order, until the worker has read past them. It holds nothing until the
// worker first asks (start): a node that runs no worker keeps none.
type recentStatements struct {
	mu      sync.Mutex
	started bool
	stmts   []lrs.Statement
	bytes   int
}

// start makes recent keep the statements committed from now on.
func (r *recentStatements) start() {
	r.mu.Lock()
	r.started = true
	r.mu.Unlock()
}

// add keeps committed statements, each with its seq and voided flag set,
// dropping the oldest beyond recentMaxBytes.
func (r *recentStatements) add(stmts []lrs.Statement) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.started {
		return
	}
	for _, st := range stmts {
		r.stmts = append(r.stmts, st)
		r.bytes += len(st.JSON)
	}
	drop := 0
	for r.bytes > recentMaxBytes && drop < len(r.stmts) {
		r.bytes -= len(r.stmts[drop].JSON)
		drop++
	}
	r.stmts = slices.Delete(r.stmts, 0, drop)
}

// take returns the statements with those seqs that recent holds, in the
// order of seqs, and the seqs it does not hold. It forgets every statement
// with a seq up to after, which the worker has read.
func (r *recentStatements) take(after int64, seqs []int64) (found []lrs.Statement, missing []int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stmts = slices.DeleteFunc(r.stmts, func(st lrs.Statement) bool {
		if st.Seq <= after {
			r.bytes -= len(st.JSON)
			return true
		}
		return false
	})
	bySeq := make(map[int64]int, len(r.stmts))
	for i, st := range r.stmts {
		bySeq[st.Seq] = i
	}
	for _, seq := range seqs {
		if i, ok := bySeq[seq]; ok {
			found = append(found, r.stmts[i])
		} else {
			missing = append(missing, seq)
		}
	}
	return found, missing
}

// committed returns what the worker reads of stmts, the statements a call
// stored: only those it inserted (seqs[i] != 0), with the seq and, for
// statements an earlier voiding statement named, voided set. Until the
// worker first asks it returns nothing: add would drop it.
func (r *recentStatements) committed(stmts []lrs.Statement, seqs []int64, voided map[string]bool) []lrs.Statement {
	r.mu.Lock()
	started := r.started
	r.mu.Unlock()
	if !started {
		return nil
	}
	var out []lrs.Statement
	for i, st := range stmts {
		if seqs[i] == 0 {
			continue
		}
		out = append(out, lrs.Statement{
			ID: st.ID, JSON: st.JSON, Stored: st.Stored, Seq: seqs[i], Voided: voided[st.ID],
			ActorIFI: st.ActorIFI, VerbID: st.VerbID, ObjectType: st.ObjectType, ObjectID: st.ObjectID,
			Registration: st.Registration, VoidsID: st.VoidsID, AuthorityIFI: st.AuthorityIFI,
		})
	}
	return out
}
