package admission

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// admitAll starts one goroutine per name, gap apart, each running work
// between its admission and its release (given back twice: the second gives
// back nothing); it returns when all have ended.
func admitAll(t *testing.T, q *Queue, names []string, gap time.Duration, work func(name string)) {
	t.Helper()
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := q.Admit(name)
			if err != nil {
				t.Error(err)
				return
			}
			work(name)
			release()
			release()
		}()
		time.Sleep(gap)
	}
	wg.Wait()
}

// Cases asking in a mixed order, one slot: they run in the queue's order,
// not in the order they asked (first come or last come).
func TestAdmitsInTheOrderNotTheArrival(t *testing.T) {
	order := []string{"a", "b", "c", "d"}
	q := New(order, 1, 500*time.Millisecond)
	var mu sync.Mutex
	var ran []string
	// Arrivals 20 ms apart, all within the window.
	admitAll(t, q, []string{"c", "a", "d", "b"}, 20*time.Millisecond, func(name string) {
		mu.Lock()
		ran = append(ran, name)
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	})
	if !slices.Equal(ran, order) {
		t.Errorf("ran %v, want %v", ran, order)
	}
}

// Never more than the limit at once, and every case runs.
func TestAdmitsAtMostTheLimit(t *testing.T) {
	order := []string{"a", "b", "c", "d", "e", "f", "g"}
	const limit = 3
	q := New(order, limit, 10*time.Millisecond)
	var mu sync.Mutex
	running, most, done := 0, 0, 0
	admitAll(t, q, order, 0, func(string) {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		time.Sleep(10 * time.Millisecond)
		mu.Lock()
		running--
		done++
		mu.Unlock()
	})
	if most != limit || done != len(order) {
		t.Errorf("at most %d ran at once and %d ran, want %d and %d", most, done, limit, len(order))
	}
}

func TestRefusesANameNotInTheOrder(t *testing.T) {
	q := New([]string{"known"}, 1, 0)
	if _, err := q.Admit("unknown"); err == nil {
		t.Error("Admit of a name not in the order succeeded")
	}
}
