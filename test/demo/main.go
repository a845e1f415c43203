// Command demo publishes one message to a FIFO topic and shows what the
// subscribed worker queue receives: the SNS envelope, as the workers get it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

func main() {
	topic := flag.String("topic", "", "ARN of the FIFO topic to publish to")
	queue := flag.String("queue", "", "URL of the worker queue to receive from")
	flag.Parse()
	if err := run(context.Background(), *topic, *queue); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, topic, queue string) error {
	if topic == "" || queue == "" {
		return fmt.Errorf("-topic and -queue are required")
	}
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
	fmt.Printf("published %s to %s (message group store-1)\n", aws.ToString(pub.MessageId), topic)

	out, err := sqs.NewFromConfig(cfg).ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(queue), MaxNumberOfMessages: 1, WaitTimeSeconds: 5,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameMessageGroupId},
	})
	if err != nil {
		return fmt.Errorf("receiving: %w", err)
	}
	if len(out.Messages) == 0 {
		return fmt.Errorf("nothing arrived in %s", queue)
	}
	m := out.Messages[0]
	var envelope map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &envelope); err != nil {
		return fmt.Errorf("the queue got no SNS envelope: %s", aws.ToString(m.Body))
	}
	pretty, _ := json.MarshalIndent(envelope, "  ", "  ")
	fmt.Printf("received from %s (MessageGroupId %s), the SNS envelope the worker parses:\n  %s\n",
		queue, m.Attributes[string(sqstypes.MessageSystemAttributeNameMessageGroupId)], pretty)
	return nil
}
