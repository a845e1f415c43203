// Package admission lets test cases run at most a given number at a time,
// admitted in a fixed order (longest first) rather than in the order they
// happen to ask. go test hands its -parallel slots out in arrival order; with
// long and short cases mixed, a long case that arrives late ends the run long
// after the others (longest-processing-time-first scheduling avoids that).
package admission

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Queue admits names in the order of its list, at most limit at a time.
// Nobody is admitted before window has passed since the first Admit, so that
// cases released together by go test are ordered among each other; a name
// that asks later still takes its place in the order.
type Queue struct {
	order  []string
	limit  int
	window time.Duration

	mu      sync.Mutex
	cond    *sync.Cond
	started bool
	open    bool
	running int
	waiting map[int]bool // positions in order
}

// New makes a queue over order (names, first admitted first).
func New(order []string, limit int, window time.Duration) *Queue {
	q := &Queue{order: order, limit: max(limit, 1), window: window, waiting: map[int]bool{}}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Admit blocks until name may run and returns the function that gives its
// place back. A name not in the order is an error: a new case is placed on
// purpose.
func (q *Queue) Admit(name string) (release func(), err error) {
	position := slices.Index(q.order, name)
	if position < 0 {
		return nil, fmt.Errorf("%s is not in the admission order: place it by how long it takes", name)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.waiting[position] {
		return nil, fmt.Errorf("%s is already waiting to be admitted", name)
	}
	if !q.started {
		q.started = true
		time.AfterFunc(q.window, func() {
			q.mu.Lock()
			q.open = true
			q.cond.Broadcast()
			q.mu.Unlock()
		})
	}
	q.waiting[position] = true
	for !q.open || q.running == q.limit || position != q.firstWaiting() {
		q.cond.Wait()
	}
	delete(q.waiting, position)
	q.running++
	q.cond.Broadcast() // the next in line may fit too
	var once sync.Once
	return func() {
		once.Do(func() {
			q.mu.Lock()
			q.running--
			q.cond.Broadcast()
			q.mu.Unlock()
		})
	}, nil
}

func (q *Queue) firstWaiting() int {
	first := len(q.order)
	for position := range q.waiting {
		first = min(first, position)
	}
	return first
}
