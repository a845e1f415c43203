package admission

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// Cases asking in a mixed order, one slot: they run in the queue's order,
// not in the order they asked (first come or last come).
func TestAdmitsInTheOrderNotTheArrival(t *testing.T) {
	order := []string{"a", "b", "c", "d"}
	arrival := []string{"c", "a", "d", "b"}
	q := New(order, 1, 500*time.Millisecond)
	var mu sync.Mutex
	var ran []string
	var wg sync.WaitGroup
	for _, name := range arrival {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := q.Admit(name)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			ran = append(ran, name)
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
			release()
		}()
		time.Sleep(20 * time.Millisecond) // arrivals in a known order, all within the window
	}
	wg.Wait()
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
	var wg sync.WaitGroup
	for _, name := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := q.Admit(name)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			running++
			most = max(most, running)
			mu.Unlock()
			time.Sleep(10 * time.Millisecond)
			mu.Lock()
			running--
			done++
			mu.Unlock()
			release()
			release() // a second release gives back nothing
		}()
	}
	wg.Wait()
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
