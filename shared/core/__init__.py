"""The conversation core both channels share: content (data staff edit) and its checks, text tools,
rules over the content, problem-report detection, the channel-neutral dialogue, reminder planning."""
