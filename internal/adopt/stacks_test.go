package adopt

import (
	"slices"
	"testing"
)

// A worker stack as Copilot renders it (worker-test.stack.yml): short forms,
// no deletion policy on the queue or the key; the queue retained by hand
// (docs/migrating-from-copilot.md, step 2.1) but not on replacement.
const workerTemplate = `
Parameters:
  AppName: {Type: String}
Resources:
  EventsKMSKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {Version: '2012-10-17'}
  EventsQueue:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties:
      KmsMasterKeyId: !Ref EventsKMSKey
      QueueName: !Sub '${AppName}-events.fifo'
  Service:
    Type: AWS::ECS::Service
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      Cluster: !ImportValue {'Fn::Sub': '${AppName}-ClusterId'}
  BacklogPerTaskCalculatorFunction:
    Type: AWS::Lambda::Function
`

func TestTemplatePolicies(t *testing.T) {
	got, err := templatePolicies(workerTemplate)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{"EventsKMSKey": {}, "EventsQueue": {"Retain", ""}, "Service": {"Retain", "Retain"}, "BacklogPerTaskCalculatorFunction": {}}
	if len(got) != len(want) {
		t.Fatalf("policies = %v, want %v", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: policies %v, want %v", id, got[id], w)
		}
	}
	json, err := templatePolicies(`{"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Snapshot"}}}`)
	if err != nil || json["Table"] != [2]string{"Snapshot", ""} {
		t.Errorf("a JSON template: %v, %v", json, err)
	}
}

// TestNotRetained: only adopted objects are reported (by the physical IDs
// CloudFormation gives: a queue URL, a service ARN, a key ID, a table name),
// each with the attributes it lacks.
func TestNotRetained(t *testing.T) {
	e := testEstate()
	w := e.Workers[0]
	resources := []stackResource{
		{Stack: "calinks-develop-worker-item", LogicalID: "EventsQueue", Type: "AWS::SQS::Queue",
			PhysicalID: "https://sqs.ap-northeast-1.amazonaws.com/123456789012/" + w.QueueName, DeletionPolicy: "Retain"},
		{Stack: "calinks-develop-worker-item", LogicalID: "EventsKMSKey", Type: "AWS::KMS::Key", PhysicalID: lastSegment(w.QueueKMSKeyARN)},
		{Stack: "calinks-develop-worker-item", LogicalID: "Service", Type: "AWS::ECS::Service",
			PhysicalID: "arn:aws:ecs:ap-northeast-1:123456789012:service/" + e.ClusterName + "/" + w.ServiceName, DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain"},
		{Stack: "calinks-develop-worker-item", LogicalID: "BacklogPerTaskCalculatorFunction", Type: "AWS::Lambda::Function", PhysicalID: "calinks-develop-worker-item-Backlog-1"},
		{Stack: "calinks-develop-AddonsStack-1", LogicalID: "EcOrder", Type: "AWS::DynamoDB::Table", PhysicalID: "calinks-develop-Ec_Order", DeletionPolicy: "Snapshot", UpdateReplacePolicy: "Retain"},
	}
	got := notRetained(resources, e.keptIdentifiers())
	var ids []string
	for _, r := range got {
		ids = append(ids, r.LogicalID)
	}
	if want := []string{"EcOrder", "EventsKMSKey", "EventsQueue"}; !slices.Equal(ids, want) {
		t.Fatalf("not retained = %v, want %v (the Lambda is not adopted, the service is retained)", ids, want)
	}
	if !slices.Equal(got[0].Missing, []string{"DeletionPolicy: Retain"}) || len(got[1].Missing) != 2 || !slices.Equal(got[2].Missing, []string{"UpdateReplacePolicy: Retain"}) {
		t.Errorf("missing attributes: %+v", got)
	}
}
