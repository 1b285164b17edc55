"""Text classification with Conv1D over embeddings (Reuters newswire topics)."""
import keras
from keras import layers

num_words, maxlen = 10000, 100
(x_train, y_train), (x_test, y_test) = keras.datasets.reuters.load_data(num_words=num_words)
x_train = keras.utils.pad_sequences(x_train[:512], maxlen=maxlen)
y_train = y_train[:512]

model = keras.Sequential([
    keras.Input(shape=(maxlen,)),
    layers.Embedding(num_words, 64),
    layers.Conv1D(64, 5, activation="relu"),
    layers.GlobalMaxPooling1D(),
    layers.Dense(64, activation="relu"),
    layers.Dense(46, activation="softmax"),
])
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=64, verbose=0)
