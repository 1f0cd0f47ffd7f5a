// nn/layers/sequence-index: the sequence and language layers (recurrent, embeddings, masking,
// attention, transformer blocks, RMS/group normalization) and their camelCase factories, re-exported
// by the `layers` namespace. Importing this module registers every class for deserialization.
import { Bidirectional, type BidirectionalArgs } from "./bidirectional.js";
import { Embedding, type EmbeddingArgs } from "./embedding.js";
import { GRU, type GRUArgs } from "./gru.js";
import { LSTM, type LSTMArgs } from "./lstm.js";
import { Masking, type MaskingArgs } from "./masking.js";
import { MultiHeadAttention, type MultiHeadAttentionArgs } from "./multi-head-attention.js";
import { SimpleRNN, type SimpleRNNArgs } from "./simple-rnn.js";
import { TimeDistributed, type TimeDistributedArgs } from "./time-distributed.js";

export { Bidirectional, type BidirectionalArgs, type MergeMode } from "./bidirectional.js";
export { Embedding, type EmbeddingArgs } from "./embedding.js";
export { GRU, type GRUArgs } from "./gru.js";
export { LSTM, type LSTMArgs } from "./lstm.js";
export { Masking, type MaskingArgs } from "./masking.js";
export { MultiHeadAttention, type MultiHeadAttentionArgs } from "./multi-head-attention.js";
export { type RecurrentArgs, RecurrentLayer } from "./recurrent-base.js";
export { SimpleRNN, type SimpleRNNArgs } from "./simple-rnn.js";
export { TimeDistributed, type TimeDistributedArgs } from "./time-distributed.js";

/** Fully connected recurrent layer, h = tanh(x W + h U + b). */
export const simpleRNN = (args: SimpleRNNArgs): SimpleRNN => new SimpleRNN(args);
/** Long short-term memory layer (Keras defaults). */
export const lstm = (args: LSTMArgs): LSTM => new LSTM(args);
/** Gated recurrent unit layer (resetAfter true by default). */
export const gru = (args: GRUArgs): GRU => new GRU(args);
/** Integer ids to trainable vectors; maskZero marks id 0 as padding. */
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);
/** Masks (and zeroes) time steps whose features all equal maskValue. */
export const masking = (args: MaskingArgs = {}): Masking => new Masking(args);
/** Runs a recurrent layer forward and backward and merges the two (concat by default). */
export const bidirectional = (args: BidirectionalArgs): Bidirectional => new Bidirectional(args);
/** Applies a layer to every time step of (B, T, ...) inputs. */
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);
/** Multi-head attention (Keras semantics; blockwise fused attention unless scores are returned). */
export const multiHeadAttention = (args: MultiHeadAttentionArgs): MultiHeadAttention =>
  new MultiHeadAttention(args);
