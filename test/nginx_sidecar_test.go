package test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/gruntwork-io/terratest/modules/terraform"
)

// checkNginxSidecar reads pos-web-app's registered task definition and target
// group back from the endpoint and runs the sidecar's nginx configuration
// with a real nginx: the target group's health-check path must reach the
// application and answer 200, and every other path must reach the
// application's port. ECS and the
// emulator never start the containers, so without this a sidecar that
// answers the health check with 404 passes every other check while real
// deployments roll back (the load balancer never sees a healthy target).
func checkNginxSidecar(t *testing.T, opts *terraform.Options) {
	cfg := awsConfig()
	cluster := terraform.OutputContext(t, t.Context(), opts, "cluster_name")
	var services map[string]struct {
		ServiceARN string `json:"service_arn"`
	}
	terraform.OutputStructContext(t, t.Context(), opts, "web_services", &services)
	service, ok := services["pos-web-app"]
	if !ok {
		t.Fatalf("web_services has no pos-web-app: %v", services)
	}
	described := must(ecs.NewFromConfig(cfg).DescribeServices(t.Context(), &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{service.ServiceARN}}))(t)
	if len(described.Services) != 1 || len(described.Services[0].LoadBalancers) != 1 {
		t.Fatalf("pos-web-app: want one service with one load balancer, got %+v", described.Services)
	}
	lb := described.Services[0].LoadBalancers[0]
	groups := must(elbv2.NewFromConfig(cfg).DescribeTargetGroups(t.Context(), &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{aws.ToString(lb.TargetGroupArn)}}))(t)
	if len(groups.TargetGroups) != 1 {
		t.Fatalf("target group %s not found", aws.ToString(lb.TargetGroupArn))
	}
	healthPath := aws.ToString(groups.TargetGroups[0].HealthCheckPath)
	def := must(ecs.NewFromConfig(cfg).DescribeTaskDefinition(t.Context(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: described.Services[0].TaskDefinition}))(t)
	var sidecar *ecstypes.ContainerDefinition
	for i, c := range def.TaskDefinition.ContainerDefinitions {
		if aws.ToString(c.Name) == aws.ToString(lb.ContainerName) {
			sidecar = &def.TaskDefinition.ContainerDefinitions[i]
		}
	}
	if sidecar == nil || len(sidecar.PortMappings) != 1 || aws.ToInt32(sidecar.PortMappings[0].ContainerPort) != aws.ToInt32(lb.ContainerPort) {
		t.Fatalf("the load balancer targets %s:%d, which is not a container of the task with that port", aws.ToString(lb.ContainerName), aws.ToInt32(lb.ContainerPort))
	}
	env := map[string]string{}
	for _, kv := range sidecar.Environment {
		env[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
	}
	start := strings.Join(append(sidecar.EntryPoint, sidecar.Command...), " ")
	if !strings.Contains(start, `"$NGINX_SERVER_CONF" > /etc/nginx/conf.d/default.conf`) || !strings.Contains(start, "exec /docker-entrypoint.sh nginx") {
		t.Fatalf("the sidecar does not start nginx with its configuration: %q", start)
	}
	runNginxSidecar(t, env["NGINX_SERVER_CONF"], aws.ToInt32(lb.ContainerPort), env["APP_PORT"], healthPath)
}

// runNginxSidecar serves conf with the local nginx, its listen port and the
// application's port moved to free local ones, and checks what the load
// balancer and the users would see.
func runNginxSidecar(t *testing.T, conf string, listenPort int32, appPort, healthPath string) {
	t.Helper()
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		t.Fatalf("nginx is needed to run the sidecar's configuration (Debian: apt-get install nginx): %v", err)
	}
	var reached []string
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = append(reached, r.URL.Path)
		_, _ = fmt.Fprint(w, "from the application")
	}))
	defer app.Close()
	listen := freePort(t)
	listenLine, upstream := fmt.Sprintf("listen %d;", listenPort), "proxy_pass http://127.0.0.1:"+appPort
	if !strings.Contains(conf, listenLine) || !strings.Contains(conf, upstream+";") {
		t.Fatalf("the sidecar configuration lacks %q or %q:\n%s", listenLine, upstream+";", conf)
	}
	conf = strings.Replace(conf, listenLine, fmt.Sprintf("listen 127.0.0.1:%d;", listen), 1)
	conf = strings.ReplaceAll(conf, upstream, "proxy_pass "+app.URL)

	dir := t.TempDir()
	main := fmt.Sprintf("daemon off;\npid %[1]s/nginx.pid;\nerror_log %[1]s/error.log;\nevents {}\nhttp {\n  access_log off;\n"+
		"  client_body_temp_path %[1]s/body;\n  proxy_temp_path %[1]s/proxy;\n  fastcgi_temp_path %[1]s/fastcgi;\n  uwsgi_temp_path %[1]s/uwsgi;\n  scgi_temp_path %[1]s/scgi;\n"+
		"  include %[1]s/default.conf;\n}\n", dir)
	for name, content := range map[string]string{"nginx.conf": main, "default.conf": conf} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.CommandContext(t.Context(), nginx, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	base := fmt.Sprintf("http://127.0.0.1:%d", listen)
	waitForListener(t, listen, &stderr)

	status, body := get(t, base+healthPath)
	if status != http.StatusOK || body != "from the application" || len(reached) != 1 {
		t.Errorf("the target group checks %s: the sidecar answers %d %q (application reached %v), want the application's own answer", healthPath, status, body, reached)
	}
	status, body = get(t, base+"/orders/42")
	if status != http.StatusOK || body != "from the application" || len(reached) == 0 || reached[len(reached)-1] != "/orders/42" {
		t.Errorf("GET /orders/42 through the sidecar: %d %q, application saw %v; want it proxied to the application", status, body, reached)
	}
}

func get(t *testing.T, url string) (int, string) {
	resp, err := http.Get(url) //nolint:noctx // a local server, bounded by the client's default transport
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

func waitForListener(t *testing.T, port int, stderr *strings.Builder) {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			_ = c.Close()
			return
		}
	}
	t.Fatalf("nginx did not listen on %d within 10 s: %s", port, stderr.String())
}
