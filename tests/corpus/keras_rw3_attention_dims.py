import numpy as np
import keras
from keras import layers

src_len, tgt_len, vocab = 20, 15, 3000

enc_in = keras.Input(shape=(src_len,), dtype="int32")
dec_in = keras.Input(shape=(tgt_len,), dtype="int32")

enc = layers.Embedding(vocab, 128)(enc_in)
enc = layers.LSTM(128, return_sequences=True)(enc)

dec = layers.Embedding(vocab, 64)(dec_in)
dec = layers.LSTM(64, return_sequences=True)(dec)

context = layers.Attention()([dec, enc])
merged = layers.Concatenate()([dec, context])
logits = layers.Dense(vocab)(merged)

model = keras.Model([enc_in, dec_in], logits)
a = np.random.randint(0, vocab, (4, src_len))
b = np.random.randint(0, vocab, (4, tgt_len))
out = model.predict([a, b], verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
