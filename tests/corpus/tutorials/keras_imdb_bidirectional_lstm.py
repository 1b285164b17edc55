"""Bidirectional LSTM on IMDB (after keras.io/examples/nlp/bidirectional_lstm_imdb)."""
import numpy as np
import keras
from keras import layers

max_features = 20000
maxlen = 200

inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(max_features, 128)(inputs)
x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
x = layers.Bidirectional(layers.LSTM(64))(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.summary()

(x_train, y_train), (x_val, y_val) = keras.datasets.imdb.load_data(num_words=max_features)
x_train = keras.utils.pad_sequences(x_train[:256], maxlen=maxlen)
x_val = keras.utils.pad_sequences(x_val[:64], maxlen=maxlen)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train[:256], batch_size=32, epochs=1, validation_data=(x_val, y_val[:64]), verbose=0)
