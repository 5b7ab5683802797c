import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { installRouter } from './router'
import './styles.css'

installRouter()
createApp(App).use(createPinia()).mount('#app')
