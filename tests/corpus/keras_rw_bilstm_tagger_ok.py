import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, Bidirectional, LSTM, TimeDistributed, Dense, Dropout
from keras.utils import to_categorical

n_words, n_tags, max_len = 5000, 17, 75
X = np.random.randint(0, n_words, size=(128, max_len))
y = np.random.randint(0, n_tags, size=(128, max_len))
y = to_categorical(y, num_classes=n_tags)

model = Sequential()
model.add(Embedding(input_dim=n_words, output_dim=50))
model.add(Dropout(0.1))
model.add(Bidirectional(LSTM(units=100, return_sequences=True, recurrent_dropout=0.1)))
model.add(TimeDistributed(Dense(n_tags, activation="softmax")))
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, batch_size=32, epochs=1, validation_split=0.1, verbose=0)
print("OUTPUT_SHAPE", model.predict(X[:2], verbose=0).shape)
