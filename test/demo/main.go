// Command demo supports make demo against the local endpoint:
//
//	demo zone NAME                  create the public hosted zone NAME unless it exists
//	demo table OUTPUTS.json PROFILE print topics -> queues -> workers, endpoints, and what the profile switched off and why
//	demo publish OUTPUTS.json       publish a message to the item topic and show worker-item's queue receiving the SNS envelope
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

func main() {
	var err error
	args := os.Args[1:]
	switch {
	case len(args) == 2 && args[0] == "zone":
		err = ensureZone(context.Background(), args[1])
	case len(args) == 3 && args[0] == "table":
		err = printTable(args[1], args[2])
	case len(args) == 2 && args[0] == "publish":
		err = publishItem(context.Background(), args[1])
	default:
		err = fmt.Errorf("usage: demo zone NAME | demo table OUTPUTS.json PROFILE | demo publish OUTPUTS.json")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func ensureZone(ctx context.Context, name string) error {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	client := route53.NewFromConfig(cfg)
	zones, err := client.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String(name)})
	if err != nil {
		return err
	}
	if len(zones.HostedZones) > 0 && strings.TrimSuffix(aws.ToString(zones.HostedZones[0].Name), ".") == name {
		fmt.Printf("public zone %s exists\n", name)
		return nil
	}
	_, err = client.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String(name), CallerReference: aws.String(fmt.Sprint(time.Now().UnixNano()))})
	if err == nil {
		fmt.Printf("public zone %s created (the environments look it up)\n", name)
	}
	return err
}

type outputs struct {
	TopicARNs struct{ Value map[string]string } `json:"topic_arns"`
	Workers   struct {
		Value map[string]struct {
			Topics   []string `json:"topics"`
			QueueURL string   `json:"queue_url"`
		}
	} `json:"workers"`
	WebServices struct {
		Value map[string]struct {
			Publishes []string `json:"publishes"`
		}
	} `json:"web_services"`
	ALB          struct{ Value string }            `json:"alb_dns_name"`
	ServiceURLs  struct{ Value map[string]string } `json:"service_urls"`
	DatabaseHost struct{ Value string }            `json:"database_host"`
	PrivateCDN   struct{ Value string }            `json:"private_assets_domain_name"`
	SwitchedOff  struct{ Value map[string]string } `json:"switched_off"`
	JobCommands  struct{ Value map[string]string } `json:"job_run_commands"`
}

func readOutputs(path string) (outputs, error) {
	var out outputs
	data, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, &out)
	}
	return out, err
}

func printTable(outputsFile, profile string) error {
	out, err := readOutputs(outputsFile)
	if err != nil {
		return err
	}
	publisher := map[string]string{}
	for service, s := range out.WebServices.Value {
		for _, topic := range s.Publishes {
			publisher[topic] = service
		}
	}
	rows := []string{"TOPIC\tPUBLISHER\tQUEUE\tWORKER"}
	for _, topic := range slices.Sorted(maps.Keys(out.TopicARNs.Value)) {
		found := false
		for _, worker := range slices.Sorted(maps.Keys(out.Workers.Value)) {
			if slices.Contains(out.Workers.Value[worker].Topics, topic) {
				rows = append(rows, strings.Join([]string{topic, publisher[topic], lastPart(out.Workers.Value[worker].QueueURL), worker}, "\t"))
				found = true
			}
		}
		if !found {
			rows = append(rows, topic+"\t"+publisher[topic]+"\t-\t(no worker: backend-outbox side)")
		}
	}
	rows = append(rows, "(EventBridge schedules)\tEventBridge\t"+lastPart(out.Workers.Value["worker-scheduled"].QueueURL)+"\tworker-scheduled")
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	if _, err := io.WriteString(w, strings.Join(rows, "\n")+"\n"); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}

	fmt.Println("\nENDPOINTS")
	fmt.Printf("  load balancer   %s\n", out.ALB.Value)
	for _, s := range slices.Sorted(maps.Keys(out.ServiceURLs.Value)) {
		fmt.Printf("  %-15s %s\n", s, out.ServiceURLs.Value[s])
	}
	fmt.Printf("  database        %s (RDS Proxy, TLS)\n", out.DatabaseHost.Value)
	fmt.Printf("  private-static  %s\n", out.PrivateCDN.Value)
	for _, job := range slices.Sorted(maps.Keys(out.JobCommands.Value)) {
		fmt.Printf("  %-22s %s\n", job, out.JobCommands.Value[job])
	}

	fmt.Printf("\nSWITCHED OFF (%s)\n", profile)
	reasons, err := profileReasons(profile)
	if err != nil {
		return err
	}
	for _, part := range slices.Sorted(maps.Keys(out.SwitchedOff.Value)) {
		setting := out.SwitchedOff.Value[part]
		fmt.Printf("  %-40s %-48s %s\n", part, setting, reasons[strings.Fields(setting)[0]])
	}
	return nil
}

// profileReasons maps each setting of a tfvars profile to the comment above it.
func profileReasons(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	reasons := map[string]string{}
	var comment []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "#"):
			comment = append(comment, strings.TrimSpace(strings.TrimPrefix(line, "#")))
		case strings.Contains(line, "="):
			reasons[strings.TrimSpace(strings.SplitN(line, "=", 2)[0])] = strings.Join(comment, " ")
			comment = nil
		default:
			comment = nil
		}
	}
	return reasons, nil
}

func publishItem(ctx context.Context, outputsFile string) error {
	out, err := readOutputs(outputsFile)
	if err != nil {
		return err
	}
	topic, queue := out.TopicARNs.Value["item"], out.Workers.Value["worker-item"].QueueURL
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	body := fmt.Sprintf(`{"event":"item.updated","itemId":"demo-%d"}`, time.Now().Unix())
	pub, err := sns.NewFromConfig(cfg).Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(topic), Message: aws.String(body),
		MessageGroupId: aws.String("store-1"), MessageDeduplicationId: aws.String(fmt.Sprint(time.Now().UnixNano())),
	})
	if err != nil {
		return fmt.Errorf("publishing: %w", err)
	}
	fmt.Printf("published %s to %s (message group store-1)\n", aws.ToString(pub.MessageId), lastPart(topic))
	received, err := sqs.NewFromConfig(cfg).ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(queue), MaxNumberOfMessages: 1, WaitTimeSeconds: 5,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameMessageGroupId},
	})
	if err != nil {
		return fmt.Errorf("receiving: %w", err)
	}
	if len(received.Messages) == 0 {
		return fmt.Errorf("nothing arrived in %s", queue)
	}
	m := received.Messages[0]
	var envelope map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &envelope); err != nil {
		return fmt.Errorf("the queue got no SNS envelope: %s", aws.ToString(m.Body))
	}
	pretty, _ := json.MarshalIndent(envelope, "  ", "  ")
	fmt.Printf("received in %s (MessageGroupId %s): the SNS envelope worker-item parses, as under Copilot:\n  %s\n",
		lastPart(queue), m.Attributes[string(sqstypes.MessageSystemAttributeNameMessageGroupId)], pretty)
	return nil
}

func lastPart(s string) string { return s[strings.LastIndexAny(s, "/:")+1:] }
