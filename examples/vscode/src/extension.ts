// Starts `wazuh-mitre server` for rule files (`*rules*.xml`): diagnostics as you type, quick
// fixes, suggested techniques, hover and completion on ATT&CK ids.
import { ExtensionContext, workspace } from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const command = workspace
    .getConfiguration("wazuhMitre")
    .get<string>("path", "wazuh-mitre");
  const serverOptions: ServerOptions = { command, args: ["server"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", pattern: "**/*rules*.xml" }],
  };
  client = new LanguageClient("wazuhMitre", "wazuh-mitre", serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
