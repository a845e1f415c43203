// Package faults injects failures between the calinks provider and its AWS
// endpoint, and checks that every operation of calinks_worker_pipeline
// converges afterwards with nothing orphaned.
package faults

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Kind is a kind of injected failure.
type Kind string

const (
	// Throttle answers 400 with the protocol's throttling error; the request
	// does not reach the endpoint.
	Throttle Kind = "throttle"
	// ServerError answers 500 InternalFailure; the request does not reach the endpoint.
	ServerError Kind = "5xx"
	// Drop forwards the request (it takes effect) and closes the connection
	// without an answer: the caller cannot tell whether it happened.
	Drop Kind = "drop"
	// Delay forwards the request and holds the answer past the caller's
	// timeout: it takes effect, the caller gives up.
	Delay Kind = "delay"
)

// Call is one API call as the proxy saw it: the N-th call of Service/Action.
type Call struct {
	Service, Action string
	N               int
}

func (c Call) String() string { return fmt.Sprintf("%s:%s#%d", c.Service, c.Action, c.N) }

// Rule injects Kind at the N-th call of Service/Action.
type Rule struct {
	Call
	Kind Kind
}

// Proxy is a reverse proxy in front of an AWS endpoint that counts calls per
// service and action and injects failures by rule or at random.
type Proxy struct {
	URL   string
	Delay time.Duration // how long Delay holds an answer

	target *url.URL
	rp     *httputil.ReverseProxy
	srv    *httptest.Server

	mu       sync.Mutex
	counts   map[string]int
	calls    []Call
	rules    []Rule
	rate     float64
	from     string // random faults start with the first call whose User-Agent contains it
	rateKind []Kind
	rng      *rand.Rand
	injected []Rule
	agents   []string // the User-Agent of each injected call
	callers  []string // the User-Agent of each call
}

// NewProxy starts a proxy in front of endpoint.
func NewProxy(endpoint string) (*Proxy, error) {
	target, err := url.Parse(endpoint)
	if err != nil {
		return nil, err
	}
	p := &Proxy{target: target, counts: map[string]int{}, Delay: 30 * time.Second, rng: rand.New(rand.NewPCG(1, 2))}
	p.rp = httputil.NewSingleHostReverseProxy(target)
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	return p, nil
}

// Close stops the proxy.
func (p *Proxy) Close() { p.srv.Close() }

// Reset forgets counts, recorded calls, rules and injections.
func (p *Proxy) Reset(rules ...Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts, p.calls, p.rules, p.injected, p.agents, p.rate, p.from = map[string]int{}, nil, rules, nil, nil, 0, ""
	p.callers = nil
}

// SetRandom injects one of kinds into a fraction rate of all calls, seeded.
func (p *Proxy) SetRandom(rate float64, seed uint64, kinds ...Kind) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rate, p.rateKind, p.rng = rate, kinds, rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// StartRandomAt holds the random faults back until the first call whose
// User-Agent contains agent.
func (p *Proxy) StartRandomAt(agent string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.from = agent
}

// Calls returns the calls seen since the last Reset, in order.
func (p *Proxy) Calls() []Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Call(nil), p.calls...)
}

// CallsFrom counts the calls since the last Reset whose User-Agent contains agent.
func (p *Proxy) CallsFrom(agent string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return countContaining(p.callers, agent)
}

// InjectedInto counts the failures injected since the last Reset into calls
// whose User-Agent contains agent (a provider's name or application ID).
func (p *Proxy) InjectedInto(agent string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return countContaining(p.agents, agent)
}

func countContaining(agents []string, part string) int {
	n := 0
	for _, a := range agents {
		if strings.Contains(a, part) {
			n++
		}
	}
	return n
}

// Injected returns the failures injected since the last Reset.
func (p *Proxy) Injected() []Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Rule(nil), p.injected...)
}

var credentialScope = regexp.MustCompile(`Credential=[^/]+/[0-9]+/[^/]+/([^/]+)/aws4_request`)

// identify names the service (from the SigV4 credential scope) and the action
// (X-Amz-Target for the JSON protocols: ECS, Application Auto Scaling, SQS;
// the Action form parameter for the query protocol: SNS, older SQS).
func identify(r *http.Request, body []byte) (service, action string) {
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		service = m[1]
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		return service, target[strings.LastIndex(target, ".")+1:]
	}
	if values, err := url.ParseQuery(string(body)); err == nil && values.Get("Action") != "" {
		return service, values.Get("Action")
	}
	return service, r.URL.Query().Get("Action")
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	service, action := identify(r, body)
	json := r.Header.Get("X-Amz-Target") != "" || strings.Contains(r.Header.Get("Content-Type"), "json")

	p.mu.Lock()
	key := service + "/" + action
	p.counts[key]++
	call := Call{Service: service, Action: action, N: p.counts[key]}
	p.calls = append(p.calls, call)
	var kind Kind
	for _, rule := range p.rules {
		if rule.Call == call {
			kind = rule.Kind
		}
	}
	agent := r.Header.Get("User-Agent")
	p.callers = append(p.callers, agent)
	if p.from != "" && strings.Contains(agent, p.from) {
		p.from = ""
	}
	if kind == "" && p.rate > 0 && p.from == "" && p.rng.Float64() < p.rate {
		kind = p.rateKind[p.rng.IntN(len(p.rateKind))]
	}
	if kind != "" {
		p.injected = append(p.injected, Rule{Call: call, Kind: kind})
		p.agents = append(p.agents, agent)
	}
	delay := p.Delay
	p.mu.Unlock()

	switch kind {
	case Throttle:
		writeError(w, service, json, http.StatusBadRequest, "Sender", throttleCode(service, json), "Rate exceeded (injected)")
	case ServerError:
		writeError(w, service, json, http.StatusInternalServerError, "Receiver", "InternalFailure", "injected server error")
	case Drop:
		rec := httptest.NewRecorder()
		p.rp.ServeHTTP(rec, r) // the call takes effect
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close() // its answer is lost
				return
			}
		}
		panic(http.ErrAbortHandler)
	case Delay:
		rec := httptest.NewRecorder()
		p.rp.ServeHTTP(rec, r)
		select {
		case <-time.After(delay):
		case <-r.Context().Done(): // the caller gave up
			return
		}
		copyResponse(w, rec)
	default:
		p.rp.ServeHTTP(w, r)
	}
}

// throttleCode is a code the AWS SDKs classify as throttling in each protocol.
func throttleCode(service string, json bool) string {
	switch {
	case service == "ec2":
		return "RequestLimitExceeded"
	case service == "s3":
		return "SlowDown"
	case json:
		return "ThrottlingException"
	}
	return "Throttling"
}

// writeError answers in the error shape of the caller's protocol: awsJson
// and restJson; EC2's query dialect; S3's restXml; the query protocol (SNS,
// IAM, ...) and the restXml services that share its envelope.
func writeError(w http.ResponseWriter, service string, json bool, status int, faultType, code, message string) {
	switch service {
	case "ec2":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>injected</RequestID></Response>`, code, message)
		return
	case "s3":
		w.Header().Set("Content-Type", "application/xml")
		if code == "SlowDown" {
			status = http.StatusServiceUnavailable
		}
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `<Error><Code>%s</Code><Message>%s</Message><RequestId>injected</RequestId></Error>`, code, message)
		return
	}
	if json {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", code)
		w.Header().Set("X-Amzn-Query-Error", code+";"+faultType)
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"__type":%q,"message":%q}`, code, message)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>injected</RequestId></ErrorResponse>`, faultType, code, message)
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// Positions lists the distinct calls of a recorded run, ordered.
func Positions(calls []Call) []Call {
	out := append([]Call(nil), calls...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		if out[i].Action != out[j].Action {
			return out[i].Action < out[j].Action
		}
		return out[i].N < out[j].N
	})
	return out
}
