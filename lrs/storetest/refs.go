package storetest

import (
	"testing"

	"github.com/coursekit/coursekit/lrs"
)

// ref returns a statement by actor whose object is a StatementRef to id.
func ref(actor, id string, n int) lrs.Statement {
	return with(stmt(actor, attempted, "", at(n)), func(st *lrs.Statement) {
		st.ObjectType, st.ObjectID = "StatementRef", id
	})
}

// testStatementRefChains checks xAPI's rule that a statement targeting a
// matching statement matches too, down chains of any length, whatever order
// the chain's statements arrive in, with time bounds, voiding and paging
// applied to the targeting statement.
func testStatementRefChains(t *testing.T, s lrs.Store) {
	target := stmt(alice, completed, lesson1, at(1))
	a := ref(bob, target.ID, 2) // a → target
	b := ref(carol, a.ID, 3)    // b → a → target
	// c → d → e → target, stored with the middle link last: d arrives after
	// both the statement targeting it and its own target.
	e := ref(bob, target.ID, 4)
	d := ref(bob, e.ID, 5)
	c := ref(carol, d.ID, 6)
	other := stmt(bob, attempted, lesson2, at(7))
	unrelated := ref(carol, other.ID, 8)
	voidedRef := ref(carol, target.ID, 9)
	voidsRef := voiding(bob, voidedRef.ID, at(10))

	mustInsert(t, s, b, a) // the referrer first, in one batch
	mustInsert(t, s, target)
	mustInsert(t, s, c)
	mustInsert(t, s, e)
	mustInsert(t, s, d)
	mustInsert(t, s, other, unrelated, voidedRef, voidsRef)

	list := func(stmts ...lrs.Statement) []string { return ids(stmts) }
	tests := []filterTest{
		// The voided statement is never returned, but the statement voiding
		// it still matches through it (Communication 2.1.4).
		{lrs.StatementFilter{Agent: alice}, list(voidsRef, c, d, e, b, a, target)},
		{lrs.StatementFilter{Verb: completed}, list(voidsRef, c, d, e, b, a, target)},
		{lrs.StatementFilter{Activity: lesson1}, list(voidsRef, c, d, e, b, a, target)},
		{lrs.StatementFilter{Activity: lesson2}, list(unrelated, other)},
		// bob's own statements, and carol's that reach one of them.
		{lrs.StatementFilter{Agent: bob}, list(voidsRef, unrelated, other, c, d, e, b, a)},
		// Time bounds apply to the targeting statements, not their targets.
		{lrs.StatementFilter{Agent: alice, Since: at(2), Until: at(5)}, list(d, e, b)},
		// The whole filter must match one statement of the chain.
		{lrs.StatementFilter{Agent: alice, Verb: attempted}, nil},
		{lrs.StatementFilter{Agent: carol, Verb: completed}, nil},
	}
	checkFilters(t, s, tests)
}
